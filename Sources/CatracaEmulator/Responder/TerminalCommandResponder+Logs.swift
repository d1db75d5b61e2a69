import CatracaJSON
import Foundation

/// The terminal's log: getnewlog, getalllog, cleanlog, and the record pushed by quirk
/// `sendlog-before-reply`.
extension TerminalCommandResponder {
    /// Pages through the records not yet fetched. A record counts as fetched once a page carrying it
    /// went out, so a later `stn:true` lists only what arrived since.
    func listNewLogs(_ fields: CommandFields) throws -> JSONObject {
        let (listing, page) = try nextPage(of: "getnewlog", fields) {
            let indexes = state.logs.indices.filter { state.logs[$0].isNew }
            return Listing(entries: indexes.map { .object(state.logs[$0].record) }, logIndexes: indexes,
                           pageSize: pageSizes.logs)
        }
        for index in listing.logIndexes[page] where index < state.logs.count {
            state.logs[index].isNew = false
        }
        return logPage(listing, page)
    }

    /// Pages through every record whose date lies within `from`...`to` (both optional, inclusive,
    /// `YYYY-MM-DD`); fetching them does not change what is new.
    func listAllLogs(_ fields: CommandFields) throws -> JSONObject {
        let from = try fields.date("from")
        let to = try fields.date("to")
        let (listing, page) = try nextPage(of: "getalllog", fields) {
            let chosen = state.logs.filter { log in
                (from.map { log.date >= $0 } ?? true) && (to.map { log.date <= $0 } ?? true)
            }
            return Listing(entries: chosen.map { .object($0.record) }, pageSize: pageSizes.logs)
        }
        return logPage(listing, page)
    }

    private func logPage(_ listing: Listing, _ page: Range<Int>) -> JSONObject {
        var body = listing.position(of: page)
        body["record"] = .array(Array(listing.entries[page]))
        return body
    }

    func cleanLogs() -> JSONObject {
        state.logs = []
        listings["getnewlog"] = nil
        listings["getalllog"] = nil
        return [:]
    }

    /// Adds one new record (a face recognition of the first user, one second after the latest record)
    /// and returns the `sendlog` that pushes it. Its `logindex` is its place in the terminal's log.
    func pushNewRecord(at now: Date) -> JSONValue {
        let record: JSONObject = [
            "enrollid": .integer(state.sortedUsers.first?.enrollid ?? 1), "time": .string(nextRecordTime(at: now)),
            "mode": 8, "inout": 0, "event": 0, "verifymode": 8,
        ]
        state.logs.append(StoredLog(record: record, isNew: true))
        return [
            "cmd": "sendlog", "sn": .string(serialNumber), "count": 1,
            "logindex": .integer(state.logs.count - 1), "record": [.object(record)],
        ]
    }

    /// The server acknowledged the pushed record at `logIndex`: the terminal no longer holds it as new.
    public func pushAcknowledged(logIndex: Int) {
        guard state.logs.indices.contains(logIndex) else { return }
        state.logs[logIndex].isNew = false
    }

    /// The terminal's time now, or a second after the latest record when that is later, so that two
    /// pushed records never share a time (the server would take the second for a duplicate).
    private func nextRecordTime(at now: Date) -> String {
        let current = state.clock.time(at: now)
        guard let latest = state.logs.last?.time, latest >= current, let date = state.clock.parse(latest) else {
            return current
        }
        return state.clock.siteTime.format(date.addingTimeInterval(1))
    }
}
