import CatracaPluginABI
import Testing

@Suite("occupancy (Swift)")
struct OccupancyTests {
    let settings = #"{"capacity": 2, "entry": ["SN-IN"]}"#

    func opened(_ host: FakeHost) throws -> OpenedPlugin {
        try OpenedPlugin(try PluginLibrary.load("occupancy"), host: host)
    }

    @Test func countsEntriesAndExitsAndRefusesWhenFull() throws {
        let plugin = try opened(FakeHost(settings: settings))

        #expect(plugin.record(sn: "SN-IN", enrollid: 1) == .allow("Inside: 0/2"))
        plugin.passage(side: "entry", enrollid: 1)
        #expect(plugin.record(sn: "SN-IN", enrollid: 2) == .allow("Inside: 1/2"))
        plugin.passage(side: "entry", enrollid: 2)
        #expect(plugin.record(sn: "SN-IN", enrollid: 3) == .deny("Full (2/2)"))

        plugin.passage(side: "exit", enrollid: 1)
        #expect(plugin.record(sn: "SN-IN", enrollid: 3) == .allow("Inside: 1/2"))
    }

    @Test func neverCountsBelowZero() throws {
        let plugin = try opened(FakeHost(settings: settings))

        plugin.passage(side: "exit", enrollid: 1)
        plugin.passage(side: "exit", enrollid: 2)
        #expect(plugin.record(sn: "SN-IN", enrollid: 1) == .allow("Inside: 0/2"))

        plugin.passage(side: "entry", enrollid: 1)
        #expect(plugin.record(sn: "SN-IN", enrollid: 2) == .allow("Inside: 1/2"))
    }

    @Test func aTurnstileThatDidNotTurnChangesNothing() throws {
        let plugin = try opened(FakeHost(settings: settings))

        plugin.passage(side: nil, enrollid: 1)
        #expect(plugin.record(sn: "SN-IN", enrollid: 1) == .allow("Inside: 0/2"))
    }

    @Test func unauthorisedRotationsCount() throws {
        let plugin = try opened(FakeHost(settings: settings))

        plugin.unauthorisedRotation(side: "entry")
        plugin.unauthorisedRotation(side: "entry")
        plugin.unauthorisedRotation(side: "entry")
        #expect(plugin.record(sn: "SN-IN", enrollid: 1) == .deny("Full (3/2)"))
    }

    @Test func otherTerminalsGetNoOpinionEvenWhenFull() throws {
        let plugin = try opened(FakeHost(settings: settings))

        plugin.passage(side: "entry", enrollid: 1)
        plugin.passage(side: "entry", enrollid: 2)
        #expect(plugin.record(sn: "SN-OUT", enrollid: 1) == .abstain)
    }

    @Test func theCountSurvivesCloseAndOpenThroughTheStore() throws {
        let host = FakeHost(settings: settings)
        let first = try opened(host)
        first.passage(side: "entry", enrollid: 1)
        first.close()

        #expect(host.store["inside"] == Array("1".utf8))
        #expect(try opened(host).record(sn: "SN-IN", enrollid: 2) == .allow("Inside: 1/2"))
    }

    @Test func aFailingStoreIsAFailedCall() throws {
        let host = FakeHost(settings: settings)
        let plugin = try opened(host)
        host.storeFails = true

        #expect(plugin.record(sn: "SN-IN", enrollid: 1).status != 0)
        #expect(host.messages.contains("occupancy could not read its count from the store"))
    }

    @Test(arguments: [
        (#"{"capacity": 0, "entry": []}"#, #"occupancy settings: "capacity" is 0; it must be 1 or more"#),
    ])
    func badSettingsRefuseToOpenAndSayWhy(settings: String, message: String) throws {
        let host = FakeHost(settings: settings)
        let library = try PluginLibrary.load("occupancy")

        #expect(library.descriptor.pointee.open!(host.table) == nil)
        #expect(host.logLines.last?.message == message)
    }

    @Test func missingCapacityNamesTheKey() throws {
        let host = FakeHost(settings: #"{"entry": ["SN-IN"]}"#)
        let library = try PluginLibrary.load("occupancy")

        #expect(library.descriptor.pointee.open!(host.table) == nil)
        let message = try #require(host.logLines.last?.message)
        #expect(message.hasPrefix("occupancy settings: "))
        #expect(message.contains("capacity"))
    }
}
