import CatracaCore
import CatracaJSON
import Foundation
@testable import CatracaTerminal

/// A session on a fake clock set to 2023-12-23 13:49:30 in São Paulo, logging into memory at debug.
struct SessionHarness {
    static let registeredAt = Date(timeIntervalSince1970: 1_703_350_170)

    let clock = ManualTimeSource(wallClock: SessionHarness.registeredAt)
    let sink = MemoryLogSink()
    let session: TerminalSession

    init(allowList: TerminalAllowList? = nil, peer: String = "10.0.0.5:41000", ackMessage: String = "",
         decidesAccess: Bool = false) {
        let configuration = TerminalSessionConfiguration(
            siteTime: SiteTime(identifier: "America/Sao_Paulo")!, allowList: allowList, ackMessage: ackMessage,
            decidesAccess: decidesAccess
        )
        let logger = Logger(label: "terminal", level: .debug, sink: sink)
        session = TerminalSession(peerAddress: peer, configuration: configuration, timeSource: clock, logger: logger)
    }

    func receive(_ text: String) -> [TerminalEffect] {
        session.receive(text: Array(text.utf8))
    }

    /// Registers `sn` and drops the effects.
    func register(_ sn: String = "ABCD12345678") {
        _ = receive(#"{"cmd":"reg","sn":"\#(sn)"}"#)
    }
}

extension Array where Element == TerminalEffect {
    var sentTexts: [String] { compactMap(\.sentText) }

    var batches: [RecordBatch] {
        compactMap { effect in
            guard case .store(let batch) = effect else { return nil }
            return batch
        }
    }

    var questions: [AccessQuestion] {
        compactMap { effect in
            guard case .decide(let question) = effect else { return nil }
            return question
        }
    }

    var registrations: [TerminalRegistration] {
        compactMap { effect in
            guard case .register(let registration) = effect else { return nil }
            return registration
        }
    }
}

let storedOutcome = BatchOutcome(inserted: 1, duplicates: 0, quarantined: 0)

struct StoreFailure: Error {}
