import CatracaPluginABI
import Testing

@Suite("visitor-qr (C)")
struct VisitorQRTests {
    let settings = #"""
        {"codes": [
            {"code": "V-ANA", "name": "Ana Lima", "enrollid": 90001,
             "from": "2026-05-04 08:00:00", "until": "2026-05-04 18:00:00"},
            {"code": "V-\u00c9DU", "name": "\u00c9duardo", "enrollid": 90002,
             "from": "2026-05-05 08:00:00", "until": "2026-05-05 18:00:00"}
        ]}
        """#

    func opened(_ host: FakeHost) throws -> OpenedPlugin {
        try OpenedPlugin(try PluginLibrary.load("visitor-qr"), host: host)
    }

    func welcome(_ name: String, _ enrollid: Int64) -> Decision {
        Decision(status: 0, access: Int32(CATRACA_ALLOW), message: "Welcome \(name)", enrollid: enrollid,
                 username: name)
    }

    @Test func aValidCodeIsAllowedOnceThenRefusedAsUsed() throws {
        let host = FakeHost(settings: settings, siteTime: "2026-05-04 09:30:00")
        let plugin = try opened(host)

        #expect(plugin.qrcode(sn: "SN-1", code: "V-ANA") == welcome("Ana Lima", 90001))
        #expect(host.store["used/V-ANA"] == Array("2026-05-04 09:30:00".utf8))
        #expect(plugin.qrcode(sn: "SN-1", code: "V-ANA") == .deny("Code already used"))
    }

    @Test func aUsedCodeStaysUsedAfterARestart() throws {
        let host = FakeHost(settings: settings, siteTime: "2026-05-04 09:30:00")
        try opened(host).close()
        _ = try opened(host).qrcode(sn: "SN-1", code: "V-ANA")

        let reopened = try opened(host)
        #expect(reopened.qrcode(sn: "SN-1", code: "V-ANA") == .deny("Code already used"))
    }

    @Test(arguments: [
        ("2026-05-04 07:59:59", Decision.deny("Code not valid yet")),
        ("2026-05-04 08:00:00", Decision(status: 0, access: 1, message: "Welcome Ana Lima", enrollid: 90001,
                                         username: "Ana Lima")),
        ("2026-05-04 18:00:00", Decision(status: 0, access: 1, message: "Welcome Ana Lima", enrollid: 90001,
                                         username: "Ana Lima")),
        ("2026-05-04 18:00:01", Decision.deny("Code expired")),
    ])
    func validFromAndUntilBothIncluded(siteTime: String, expected: Decision) throws {
        let plugin = try opened(FakeHost(settings: settings, siteTime: siteTime))
        #expect(plugin.qrcode(sn: "SN-1", code: "V-ANA") == expected)
    }

    @Test func anExpiredOrEarlyCodeIsNotMarkedUsed() throws {
        let host = FakeHost(settings: settings, siteTime: "2026-05-04 07:00:00")
        let plugin = try opened(host)

        #expect(plugin.qrcode(sn: "SN-1", code: "V-ANA") == .deny("Code not valid yet"))
        #expect(host.store.isEmpty)
    }

    @Test func anUnknownCodeIsRefusedByDefault() throws {
        let plugin = try opened(FakeHost(settings: settings))
        #expect(plugin.qrcode(sn: "SN-1", code: "V-NOBODY") == .deny("Unknown code"))
    }

    @Test func anUnknownCodeGetsNoOpinionWhenSetSo() throws {
        let plugin = try opened(FakeHost(settings: #"{"codes": [], "unknown": "abstain"}"#))
        #expect(plugin.qrcode(sn: "SN-1", code: "V-NOBODY") == .abstain)
    }

    @Test func escapedCodesAndNamesAreReadAsUTF8() throws {
        let plugin = try opened(FakeHost(settings: settings, siteTime: "2026-05-05 10:00:00"))
        #expect(plugin.qrcode(sn: "SN-1", code: "V-ÉDU") == welcome("Éduardo", 90002))
    }

    @Test func aStoreThatCannotMarkTheCodeUsedFailsTheCall() throws {
        let host = FakeHost(settings: settings, siteTime: "2026-05-04 09:30:00")
        let plugin = try opened(host)
        host.storeFails = true

        let decision = plugin.qrcode(sn: "SN-1", code: "V-ANA")
        #expect(decision.status != 0)
        #expect(decision.access != Int32(CATRACA_ALLOW))
    }

    @Test(arguments: [
        (#"{"codes": [{"code": "A", "name": "N", "enrollid": 1, "from": "2026-05-04", "until": "2026-05-05"}]}"#,
         "visitor-qr settings: \"from\" and \"until\" must be \"YYYY-MM-DD HH:MM:SS\""),
        (#"{"codes": [{"code": "A", "name": "N", "enrollid": 1.5, "from": "2026-05-04 00:00:00", "#
            + #""until": "2026-05-05 00:00:00"}]}"#,
         "visitor-qr settings: \"enrollid\" must be a whole number, 0 or more"),
        (#"{"codes": [{"code": "A", "name": "N", "enrollid": 1, "from": "2026-05-06 00:00:00", "#
            + #""until": "2026-05-05 00:00:00"}]}"#,
         "visitor-qr settings: \"from\" is after \"until\""),
        (#"{"codes": {}}"#, "visitor-qr settings: \"codes\" must be an array"),
        (#"{"unknown": "allow"}"#, "visitor-qr settings: \"unknown\" must be \"deny\" or \"abstain\""),
    ])
    func badSettingsRefuseToOpenAndSayWhy(settings: String, message: String) throws {
        let host = FakeHost(settings: settings)
        let library = try PluginLibrary.load("visitor-qr")

        #expect(library.descriptor.pointee.open!(host.table) == nil)
        #expect(host.logLines.last?.message == message)
    }

    @Test func aCodeListedTwiceIsRefused() throws {
        let code = #"{"code": "A", "name": "N", "enrollid": 1, "from": "2026-05-04 00:00:00", "#
            + #""until": "2026-05-05 00:00:00"}"#
        let host = FakeHost(settings: #"{"codes": [\#(code), \#(code)]}"#)
        let library = try PluginLibrary.load("visitor-qr")

        #expect(library.descriptor.pointee.open!(host.table) == nil)
        #expect(host.logLines.last?.message == "visitor-qr settings: this code is listed twice")
        #expect(host.logLines.last?.metadata == ["codes_index": "1"])
    }
}
