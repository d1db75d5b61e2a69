import CatracaEmulator
import CatracaJSON
import Foundation
import Testing

@Suite struct StateFileTests {
    @Test func theSnapshotShowsCredentialsOnlyAsFlagsAndLengths() {
        let harness = ResponderHarness(users: 2, logs: 3)
        harness.send(#"{"cmd":"setuserinfo","enrollid":2,"backupnum":50,"record":"\#(jpegPhoto())"}"#)
        harness.send(#"{"cmd":"opendoor","doornum":1}"#)
        harness.send(#"{"cmd":"settime","cloudtime":"2024-01-10 11:00:00"}"#)

        let snapshot = harness.state.snapshot(serialNumber: "EMU1", quirks: TerminalQuirks([.cmdReplies]),
                                              now: harness.now)

        #expect(snapshot["sn"] == "EMU1" && snapshot["clock_offset_seconds"] == -3600)
        #expect(snapshot["terminal_time"] == "2024-01-10 11:00:00")
        #expect(snapshot["quirks"] == ["cmd-replies"])
        #expect(snapshot["users"]?.array?[1] == [
            "enrollid": 2, "name": "User 0002", "department": "Admin", "admin": 0, "enable": 1, "groupid": 0,
            "verifymode": 0, "zoneid": 0, "shiftid": 0, "access_times": 0, "postid": 0, "starttime": .null,
            "endtime": .null, "password": false, "card": true, "face_chars": 800, "fingerprints": [], "palms": [],
        ])
        #expect(snapshot["logs"] == ["total": 3, "new": 3])
        #expect(snapshot["doors_opened"] == ["1": 1])
        #expect(snapshot["devlock"]?["wgformat"] == 26)
        #expect(snapshot["commands"]?.array?.count == 3)
        #expect(!snapshot.description.contains("100002"), "no card number in the file")
    }

    @Test func theWriterReplacesTheFileWhole() throws {
        let path = NSTemporaryDirectory() + "catraca-emulator-state-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = StateFileWriter(path: path)

        try writer.write(["reboots": 1])
        try writer.write(["reboots": 2])

        #expect(try JSONReader.parse(String(contentsOfFile: path, encoding: .utf8)) == ["reboots": 2])
        #expect(StateFileWriter.path("/tmp/s.json", serialNumber: "A1", terminals: 2) == "/tmp/s.json.A1")
        #expect(StateFileWriter.path("/tmp/s.json", serialNumber: "A1", terminals: 1) == "/tmp/s.json")
        #expect(throws: StateFileError.self) { try StateFileWriter(path: "/nonexistent-dir/x.json").write(.null) }
    }
}
