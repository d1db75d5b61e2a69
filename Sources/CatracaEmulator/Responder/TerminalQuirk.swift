import CatracaCore
import Foundation

/// A kind of field behaviour seen in integrators' reports of real firmwares, switched on per terminal.
public enum TerminalQuirk: String, CaseIterable, Sendable {
    /// Replies tagged `"cmd"` instead of `"ret"`.
    case cmdReplies = "cmd-replies"
    /// Numbers in replies sent as strings; `admin` alternates between `"0"` and `0`.
    case stringNumbers = "string-numbers"
    /// `departmant`, `tittle`, `Schedules`, `reson`, and `"cmd"` in the getuserlock reply.
    case vendorSpellings = "vendor-spellings"
    /// A `sendlog` of one new record goes out just before each reply.
    case sendlogBeforeReply = "sendlog-before-reply"
    /// `stn:false` returns the same page forever.
    case endlessPaging = "endless-paging"
    /// Every command is refused: `result` false, `reason` 1; nothing changes.
    case refuseAll = "refuse-all"
    /// Commands are carried out but never answered.
    case noReply = "no-reply"
    /// Replies go out after `TerminalQuirks.slowReplyDelay`.
    case slowReply = "slow-reply"
    /// `cleanadmin`, `settime` and `opendoor`, whose replies the protocol does not document, get none.
    case silentUndocumented = "silent-undocumented"
}

/// The quirks one terminal shows, and the delay of `slow-reply`.
public struct TerminalQuirks: Equatable, Sendable {
    public var enabled: Set<TerminalQuirk>
    public var slowReplyDelay: TimeSpan

    public init(_ enabled: Set<TerminalQuirk> = [], slowReplyDelay: TimeSpan = .milliseconds(1500)) {
        self.enabled = enabled
        self.slowReplyDelay = slowReplyDelay
    }

    public func contains(_ quirk: TerminalQuirk) -> Bool { enabled.contains(quirk) }

    /// The enabled quirks' names in a stable order (`slow-reply=MS` with its delay).
    public var names: [String] {
        TerminalQuirk.allCases.filter(enabled.contains).map { quirk in
            quirk == .slowReply ? "slow-reply=\(Int(slowReplyDelay.milliseconds))" : quirk.rawValue
        }
    }

    /// Reads a comma-separated list such as `cmd-replies,slow-reply=2500` (the delay in milliseconds).
    public init(parsing text: String) throws {
        self.init()
        for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            let parts = name.split(separator: "=", maxSplits: 1).map(String.init)
            guard let quirk = TerminalQuirk(rawValue: parts[0]) else {
                throw QuirkError(message: "unknown quirk \"\(parts[0])\"; known: "
                    + TerminalQuirk.allCases.map(\.rawValue).joined(separator: ", "))
            }
            enabled.insert(quirk)
            guard parts.count == 2 else { continue }
            guard quirk == .slowReply, let milliseconds = Int64(parts[1]), milliseconds >= 0 else {
                throw QuirkError(message: "\"\(name)\": only slow-reply takes a value, milliseconds (slow-reply=2500)")
            }
            slowReplyDelay = .milliseconds(milliseconds)
        }
    }
}

/// A quirk list that could not be read.
public struct QuirkError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
