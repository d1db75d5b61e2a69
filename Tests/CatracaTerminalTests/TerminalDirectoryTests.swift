import Testing
@testable import CatracaTerminal

@Suite struct TerminalDirectoryTests {
    @Test func aFirstClaimDisplacesNothing() {
        var directory = TerminalDirectory()
        let claim = directory.claim(sn: "F1", connection: ConnectionID(1), address: "10.0.0.5:4000")
        #expect(claim == TerminalDirectory.Claim(displaced: nil, displacedAddress: nil, fromDifferentAddress: false))
        #expect(directory.connection(for: "F1") == ConnectionID(1))
    }

    @Test func aReconnectDisplacesTheStaleConnection() {
        var directory = TerminalDirectory()
        _ = directory.claim(sn: "F1", connection: ConnectionID(1), address: "10.0.0.5:4000")
        let claim = directory.claim(sn: "F1", connection: ConnectionID(2), address: "10.0.0.5:4001")
        #expect(claim == TerminalDirectory.Claim(displaced: ConnectionID(1), displacedAddress: "10.0.0.5:4000",
                                                 fromDifferentAddress: false))
        #expect(directory.connection(for: "F1") == ConnectionID(2))
        #expect(directory.serialNumber(of: ConnectionID(1)) == nil)
    }

    @Test func aClaimFromAnotherAddressIsFlagged() {
        var directory = TerminalDirectory()
        _ = directory.claim(sn: "F1", connection: ConnectionID(1), address: "10.0.0.5:4000")
        #expect(directory.claim(sn: "F1", connection: ConnectionID(2), address: "10.0.0.6:4000").fromDifferentAddress)
    }

    @Test func claimingAgainFromTheSameConnectionDisplacesNothing() {
        var directory = TerminalDirectory()
        _ = directory.claim(sn: "F1", connection: ConnectionID(1), address: "10.0.0.5:4000")
        #expect(directory.claim(sn: "F1", connection: ConnectionID(1), address: "10.0.0.5:4000").displaced == nil)
    }

    @Test func aConnectionThatClaimsAnotherSerialNumberGivesUpItsFirst() {
        var directory = TerminalDirectory()
        _ = directory.claim(sn: "F1", connection: ConnectionID(1), address: "10.0.0.5:4000")
        _ = directory.claim(sn: "F2", connection: ConnectionID(1), address: "10.0.0.5:4000")
        #expect(directory.connection(for: "F1") == nil)
        #expect(directory.all.map(\.sn) == ["F2"])
    }

    @Test func releasingAStaleConnectionKeepsTheNewHolder() {
        var directory = TerminalDirectory()
        _ = directory.claim(sn: "F1", connection: ConnectionID(1), address: "10.0.0.5:4000")
        _ = directory.claim(sn: "F1", connection: ConnectionID(2), address: "10.0.0.5:4001")
        #expect(directory.release(connection: ConnectionID(1)) == nil)
        #expect(directory.connection(for: "F1") == ConnectionID(2))
        #expect(directory.release(connection: ConnectionID(2)) == "F1")
        #expect(directory.all.isEmpty)
    }

    @Test func allListsTerminalsBySerialNumber() {
        var directory = TerminalDirectory()
        _ = directory.claim(sn: "B", connection: ConnectionID(1), address: "10.0.0.1:1")
        _ = directory.claim(sn: "A", connection: ConnectionID(2), address: "10.0.0.2:1")
        #expect(directory.all.map(\.sn) == ["A", "B"])
        #expect(directory.all.map(\.connection) == [ConnectionID(2), ConnectionID(1)])
        #expect(directory.all.map(\.address) == ["10.0.0.2:1", "10.0.0.1:1"])
    }
}
