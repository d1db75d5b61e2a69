import CatracaJSON
import Foundation

/// The reply of getuserinfo for one credential: shown in short (a face photo is never printed as base64),
/// its data written to a file on request.
struct CredentialOutput {
    let reply: JSONObject

    var backupnum: Int? { reply["backupnum"]?.int }
    var enrollid: String { reply["enrollid"].map(ReplyRenderer.cell) ?? "?" }

    /// The data to write: a face photo decoded from base64, anything else as its text.
    var data: [UInt8]? {
        guard let record = reply["record"], record != .null else { return nil }
        let text = ReplyRenderer.cell(record)
        if backupnum == 50 {
            return Data(base64Encoded: text, options: .ignoreUnknownCharacters).map { Array($0) }
        }
        return Array(text.utf8)
    }

    /// A line saying what was written, or the reply's fields (the record shortened) when no file is given.
    func show(writingTo outFile: String?, writeFile: (String, [UInt8]) throws -> Void) throws -> String {
        let slot = backupnum.map(CredentialName.name) ?? "credential"
        guard let outFile else {
            var shown = reply
            if backupnum == 50, let bytes = data {
                shown["record"] = .string("(face photo, \(bytes.count) bytes; --out FILE saves it)")
            }
            return ReplyRenderer.fields(shown)
        }
        guard let bytes = data else {
            throw CredentialOutputError(description: "user \(enrollid) has no \(slot) data to write to \(outFile)")
        }
        do {
            try writeFile(outFile, bytes)
        } catch {
            throw CredentialOutputError(description: "cannot write \(outFile): \(error)")
        }
        return "wrote the \(slot) of user \(enrollid) to \(outFile) (\(bytes.count) bytes)\n"
    }
}

/// The credential cannot be written where asked.
struct CredentialOutputError: Error, CustomStringConvertible {
    var description: String
}
