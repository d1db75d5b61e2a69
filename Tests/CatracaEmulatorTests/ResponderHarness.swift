import CatracaCore
import CatracaEmulator
import CatracaJSON
import Foundation

/// A responder on a fixed clock (UTC, 2024-01-10 12:00:00) with JSON text in and the reply out.
final class ResponderHarness {
    let responder: TerminalCommandResponder
    var now = Date(timeIntervalSince1970: 1_704_888_000)

    init(users: Int = 0, logs: Int = 0, quirks: Set<TerminalQuirk> = [], pageSizes: PageSizes = PageSizes()) {
        var state = TerminalState(clock: TerminalClock(siteTime: SiteTime(identifier: "UTC")!))
        TerminalSeed(users: users, logs: logs).apply(to: &state)
        responder = TerminalCommandResponder(serialNumber: "EMU1", state: state, quirks: TerminalQuirks(quirks),
                                             pageSizes: pageSizes)
    }

    var state: TerminalState { responder.state }

    /// Everything the terminal sends for `json`.
    func response(_ json: String) -> TerminalResponse {
        responder.respond(to: try! JSONReader.parse(json), at: now)
    }

    /// The reply to `json`, or nil when the terminal sends none.
    @discardableResult
    func send(_ json: String) -> JSONValue? {
        response(json).reply
    }

    /// Pages through a listing (`stn` true, then false until `to` reaches `count - 1` or a page is
    /// empty) and returns every page's entries under `key`, and the number of pages.
    func walk(_ command: String, extra: String = "", key: String = "record") -> (entries: [JSONValue], pages: Int) {
        var entries: [JSONValue] = []
        var pages = 0
        var first = true
        while pages < 10_000 {
            let reply = send(#"{"cmd":"\#(command)","stn":\#(first)\#(extra)}"#)!
            first = false
            pages += 1
            let page = reply[key]?.array ?? []
            entries += page
            let count = reply["count"]!.int!
            if page.isEmpty || reply["to"]!.int! >= count - 1 { break }
        }
        return (entries, pages)
    }
}

/// A JPEG-looking photo of `bytes` bytes (start-of-image marker, then filler), as base64.
func jpegPhoto(bytes: Int = 600, containing text: String = "") -> String {
    var data: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Array(text.utf8)
    while data.count < bytes { data.append(UInt8(truncatingIfNeeded: data.count &* 7)) }
    return Data(data).base64EncodedString()
}
