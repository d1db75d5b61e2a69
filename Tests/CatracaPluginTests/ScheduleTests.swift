import CatracaPluginABI
import Testing

@Suite("schedule (Swift)")
struct ScheduleTests {
    // 2026-05-04 is a Monday.
    static let settings = #"""
        {"groups": {
            "staff": {"enrollids": [1, 2], "windows": {"mon": ["07:00-19:00"], "tue": ["00:00-24:00"]}},
            "night": {"enrollids": [2], "windows": {"mon": ["22:00-24:00"]}}
         },
         "default": "deny"}
        """#

    func decision(enrollid: Int64, at siteTime: String, settings: String = Self.settings) throws -> Decision {
        let plugin = try OpenedPlugin(try PluginLibrary.load("schedule"),
                                      host: FakeHost(settings: settings, siteTime: siteTime))
        return plugin.record(sn: "SN-1", enrollid: enrollid)
    }

    @Test func describesItselfForABIVersion1() throws {
        let library = try PluginLibrary.load("schedule")
        #expect(library.name == "schedule")
        #expect(library.descriptor.pointee.abi_version == 1)
        #expect(library.descriptor.pointee.on_qrcode == nil)
    }

    @Test(arguments: [
        ("2026-05-04 06:59:59", false),
        ("2026-05-04 07:00:00", true),
        ("2026-05-04 12:00:00", true),
        ("2026-05-04 18:59:59", true),
        ("2026-05-04 19:00:00", false),
    ])
    func insideTheWindowAllowsOutsideDenies(siteTime: String, allowed: Bool) throws {
        let expected: Decision = allowed ? .allow() : .deny("Outside your schedule")
        #expect(try decision(enrollid: 1, at: siteTime) == expected)
    }

    @Test(arguments: [
        ("2026-05-03 12:00:00", false), // Sunday: no window
        ("2026-05-04 23:59:59", false), // Monday night: not for group staff
        ("2026-05-05 00:00:00", true),  // Tuesday starts: all day
        ("2026-05-05 23:59:59", true),
        ("2026-05-06 00:00:00", false), // Wednesday: no window
    ])
    func weekdaysChangeAtMidnight(siteTime: String, allowed: Bool) throws {
        let expected: Decision = allowed ? .allow() : .deny("Outside your schedule")
        #expect(try decision(enrollid: 1, at: siteTime) == expected)
    }

    @Test func aPersonInTwoGroupsGetsTheWindowsOfBoth() throws {
        #expect(try decision(enrollid: 2, at: "2026-05-04 12:00:00") == .allow())
        #expect(try decision(enrollid: 2, at: "2026-05-04 22:30:00") == .allow())
        #expect(try decision(enrollid: 2, at: "2026-05-04 20:00:00") == .deny("Outside your schedule"))
    }

    @Test func anUnknownPersonIsDeniedWhenTheDefaultIsDeny() throws {
        #expect(try decision(enrollid: 99, at: "2026-05-04 12:00:00") == .deny("Outside your schedule"))
    }

    @Test(arguments: [
        #"{"groups": {"staff": {"enrollids": [1], "windows": {"mon": ["07:00-19:00"]}}}}"#,
        #"{"groups": {"staff": {"enrollids": [1], "windows": {}}}, "default": "abstain"}"#,
    ])
    func anUnknownPersonGetsNoOpinionOtherwise(settings: String) throws {
        #expect(try decision(enrollid: 99, at: "2026-05-04 12:00:00", settings: settings) == .abstain)
    }

    @Test(arguments: [
        (#"{"groups": {"g": {"enrollids": [1], "windows": {"monday": ["07:00-19:00"]}}}}"#,
         #"schedule settings: groups.g.windows has the key "monday"; use sun, mon, tue, wed, thu, fri or sat"#),
        (#"{"groups": {"g": {"enrollids": [1], "windows": {"fri": ["22:00-06:00"]}}}}"#,
         #"schedule settings: groups.g.windows.fri has "22:00-06:00"; write "HH:MM-HH:MM" with the start "#
            + "before the end (24:00 ends a day; split a window across midnight into one on each day)"),
        (#"{"groups": {"g": {"enrollids": [1], "windows": {"fri": ["7:00-19:00"]}}}}"#,
         #"schedule settings: groups.g.windows.fri has "7:00-19:00"; write "HH:MM-HH:MM" with the start "#
            + "before the end (24:00 ends a day; split a window across midnight into one on each day)"),
        (#"{"groups": {}, "default": "allow"}"#,
         #"schedule settings: "default" is "allow"; use "deny" or "abstain""#),
    ])
    func badSettingsRefuseToOpenAndSayWhy(settings: String, message: String) throws {
        let host = FakeHost(settings: settings)
        let library = try PluginLibrary.load("schedule")

        #expect(library.descriptor.pointee.open!(host.table) == nil)
        #expect(host.logLines.last?.message == message)
        #expect(host.logLines.last?.level == Int32(CATRACA_LOG_ERROR))
    }

    @Test func missingGroupsNameTheKey() throws {
        let host = FakeHost(settings: "{}")
        let library = try PluginLibrary.load("schedule")

        #expect(library.descriptor.pointee.open!(host.table) == nil)
        let message = try #require(host.logLines.last?.message)
        #expect(message.hasPrefix("schedule settings: "))
        #expect(message.contains("groups"))
    }
}
