import CatracaPluginABI
import Testing

@Suite("anti-passback (C)")
struct AntiPassbackTests {
    let settings = #"{"entry": ["SN-IN"], "exit": ["SN-OUT"]}"#

    func opened(_ host: FakeHost) throws -> OpenedPlugin {
        try OpenedPlugin(try PluginLibrary.load("anti-passback"), host: host)
    }

    @Test func describesItselfForABIVersion1() throws {
        let library = try PluginLibrary.load("anti-passback")
        #expect(library.name == "anti-passback")
        #expect(library.descriptor.pointee.abi_version == 1)
        #expect(library.descriptor.pointee.size == UInt32(MemoryLayout<catraca_plugin>.size))
    }

    @Test func entryThenSecondEntryDeniedThenExitThenEntryAgain() throws {
        let plugin = try opened(FakeHost(settings: settings))

        #expect(plugin.record(sn: "SN-IN", enrollid: 7) == .abstain)
        plugin.passage(side: "entry", enrollid: 7)
        #expect(plugin.record(sn: "SN-IN", enrollid: 7) == .deny("Already inside"))
        #expect(plugin.record(sn: "SN-IN", enrollid: 8) == .abstain)
        #expect(plugin.record(sn: "SN-OUT", enrollid: 7) == .abstain)

        plugin.passage(side: "exit", enrollid: 7)
        #expect(plugin.record(sn: "SN-IN", enrollid: 7) == .abstain)
    }

    @Test func recordWithoutPassageLetsNobodyIn() throws {
        let plugin = try opened(FakeHost(settings: settings))

        #expect(plugin.record(sn: "SN-IN", enrollid: 7) == .abstain)
        plugin.passage(side: nil, enrollid: 7)
        #expect(plugin.record(sn: "SN-IN", enrollid: 7) == .abstain)
    }

    @Test func whoIsInsideSurvivesCloseAndOpenThroughTheStore() throws {
        let host = FakeHost(settings: settings)
        let first = try opened(host)
        first.passage(side: "entry", enrollid: 7)
        first.close()

        #expect(host.store["inside/7"] == Array("1".utf8))
        let second = try opened(host)
        #expect(second.record(sn: "SN-IN", enrollid: 7) == .deny("Already inside"))
    }

    @Test func aFailingStoreIsAFailedCallNotAnAllow() throws {
        let host = FakeHost(settings: settings)
        let plugin = try opened(host)
        host.storeFails = true

        #expect(plugin.record(sn: "SN-IN", enrollid: 7).status != 0)
        #expect(host.messages.contains("anti-passback could not read its store"))
    }

    @Test(arguments: [
        (#"{"entry": "SN-IN"}"#, "anti-passback settings: expected an array of serial numbers"),
        (#"{"entry": ["SN-A"], "exit": ["SN-A"]}"#,
         "anti-passback settings: a terminal is on both the entry and the exit list; keep it on one"),
        (#"{"entry": [12]}"#,
         "anti-passback settings: each terminal must be a serial number string under 64 bytes"),
        (#"{"entry": ["SN-A",]}"#, "anti-passback settings are not valid JSON"),
    ])
    func badSettingsRefuseToOpenAndSayWhy(settings: String, message: String) throws {
        let host = FakeHost(settings: settings)
        let library = try PluginLibrary.load("anti-passback")

        #expect(library.descriptor.pointee.open!(host.table) == nil)
        #expect(host.logLines.last?.message == message)
        #expect(host.logLines.last?.level == Int32(CATRACA_LOG_ERROR))
    }

    @Test func invalidJSONNamesTheOffset() throws {
        let host = FakeHost(settings: #"{"entry": ["SN-A",]}"#)
        let library = try PluginLibrary.load("anti-passback")

        #expect(library.descriptor.pointee.open!(host.table) == nil)
        #expect(host.logLines.last?.metadata == ["offset": "18"])
    }
}
