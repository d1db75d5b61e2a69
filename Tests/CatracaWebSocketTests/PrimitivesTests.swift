import Testing
@testable import CatracaWebSocket

@Suite struct PrimitivesTests {
    @Test func sha1MatchesTheFIPSExamples() {
        let hex = { (bytes: [UInt8]) in bytes.map { String($0, radix: 16).leftPadded() }.joined() }
        #expect(hex(SHA1.digest(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(hex(SHA1.digest([UInt8]())) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        let twoBlocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(hex(SHA1.digest(Array(twoBlocks.utf8))) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
    }

    /// RFC 6455 section 1.3. (The task brief quoted `s3pPLMBiTxaQ9kK6gzZRbK+xOo0=`, a garbled copy; the RFC's value
    /// below is what SHA-1 and base64 give, and what browsers check.)
    @Test func acceptValueMatchesTheRFC6455Example() {
        #expect(Handshake.acceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func base64RoundTripsAndRejectsNonCanonicalText() {
        for length in 0..<20 {
            let bytes = (0..<length).map { UInt8(($0 * 37 + 11) & 0xFF) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.encode(Array("foob".utf8)) == "Zm9vYg==")
        #expect(Base64.decode("Zm9vYg=") == nil)
        #expect(Base64.decode("Zm9vYh==") == nil)
        #expect(Base64.decode("Zm=vYg==") == nil)
        #expect(Base64.decode("Zm9v*g==") == nil)
    }

    @Test(arguments: [
        ([0x41, 0x42, 0x43], true),
        ([0xC3, 0xA9], true),
        ([0xE2, 0x82, 0xAC], true),
        ([0xF0, 0x9F, 0x98, 0x80], true),
        ([0xF4, 0x8F, 0xBF, 0xBF], true),
        ([0xEF, 0xBF, 0xBF], true),
        ([0xC0, 0xAF], false),
        ([0xC1, 0xBF], false),
        ([0xE0, 0x80, 0xAF], false),
        ([0xF0, 0x80, 0x80, 0xAF], false),
        ([0xED, 0xA0, 0x80], false),
        ([0xED, 0xBF, 0xBF], false),
        ([0xF4, 0x90, 0x80, 0x80], false),
        ([0xF5, 0x80, 0x80, 0x80], false),
        ([0x80], false),
        ([0xC3, 0x41], false),
        ([0xFF], false),
    ] as [([UInt8], Bool)])
    func utf8ValidatorAcceptsOnlyWellFormedSequences(bytes: [UInt8], wellFormed: Bool) {
        var validator = UTF8Validator()
        let accepted = validator.validate(bytes) && validator.isComplete
        #expect(accepted == wellFormed)
    }

    @Test func utf8ValidatorCarriesASequenceAcrossChunksAtEveryCut() {
        let sample = Array("ação 😀 €uro, plain ASCII text long enough for the fast path".utf8)
        for cut in 0...sample.count {
            var validator = UTF8Validator()
            let first = validator.validate(Array(sample[..<cut]))
            let second = validator.validate(Array(sample[cut...]))
            #expect(first && second && validator.isComplete, "cut at \(cut)")
        }
    }

    @Test func utf8ValidatorFindsABadByteAfterALongASCIIRun() {
        var validator = UTF8Validator()
        let valid = validator.validate(Array(repeating: 0x61, count: 1001) + [0xFE] + Array(repeating: 0x61, count: 20))
        #expect(!valid)
    }

    @Test func maskingInPiecesMatchesMaskingWhole() {
        let key = MaskingKey(1, 2, 3, 0xF0)
        let original = (0..<67).map { UInt8($0) }
        var whole = original
        key.apply(to: &whole, range: 0..<whole.count, offset: 0)
        #expect(whole == original.enumerated().map { $0.element ^ [1, 2, 3, 0xF0][$0.offset % 4] })

        var pieces = original
        for cut in stride(from: 0, to: 67, by: 5) {
            key.apply(to: &pieces, range: cut..<min(cut + 5, 67), offset: cut)
        }
        #expect(pieces == whole)
    }
}

extension String {
    fileprivate func leftPadded() -> String { count == 1 ? "0" + self : self }
}
