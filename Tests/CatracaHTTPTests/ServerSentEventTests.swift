import Testing
@testable import CatracaHTTP

@Suite struct ServerSentEventTests {
    private func text(_ event: ServerSentEvent) -> String {
        String(decoding: event.serialized(), as: UTF8.self)
    }

    @Test func anEventIsItsFieldsEndedByABlankLine() {
        #expect(text(ServerSentEvent(name: "passage", data: #"{"a":1}"#, id: "7"))
                == "id: 7\nevent: passage\ndata: {\"a\":1}\n\n")
    }

    @Test func dataWithLineBreaksBecomesOneDataLineEach() {
        let expected = "data: one\ndata: two\ndata: three\ndata: four\n\n"
        #expect(text(ServerSentEvent(data: "one\ntwo\r\nthree\rfour")) == expected)
        #expect(text(ServerSentEvent(data: "")) == "data: \n\n")
    }

    @Test func aNameOrIdCannotAddFieldsOfItsOwn() {
        let framed = text(ServerSentEvent(name: "x\ndata: forged", data: "real", id: "1\r\nevent: forged"))
        #expect(framed == "id: 1 event: forged\nevent: x data: forged\ndata: real\n\n")
    }

    @Test func commentsAndRetryAreTheirOwnMessages() {
        #expect(String(decoding: ServerSentEvent.comment("heartbeat"), as: UTF8.self) == ": heartbeat\n\n")
        #expect(String(decoding: ServerSentEvent.comment("a\nb"), as: UTF8.self) == ": a b\n\n")
        #expect(String(decoding: ServerSentEvent.retry(milliseconds: 3_000), as: UTF8.self) == "retry: 3000\n\n")
    }
}
