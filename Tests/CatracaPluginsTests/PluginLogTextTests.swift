import CatracaPlugins
import Testing

@Suite struct PluginLogTextTests {
    @Test func aShortLineIsKeptAsItIs() {
        let (message, pairs) = PluginLogText.truncated(message: "opened", context: [("settings", "{}")])
        #expect(message == "opened")
        #expect(pairs.map(\.0) == ["settings"] && pairs.map(\.1) == ["{}"])
    }

    @Test func aHugeMessageKeyAndValueAreCutAndTheLineSaysSo() {
        let huge = String(repeating: "m", count: 4 << 20)
        let (message, pairs) = PluginLogText.truncated(message: huge,
                                                       context: [(String(repeating: "k", count: 100), huge)])
        #expect(message.utf8.count == PluginLogText.maxTextBytes)
        #expect(pairs[0].0.utf8.count == PluginLogText.maxKeyBytes)
        #expect(pairs[0].1.utf8.count == PluginLogText.maxTextBytes)
        let note = pairs.last!
        #expect(note.0 == "truncated")
        #expect(note.1.contains("message of 4194304 bytes") && note.1.contains("a key of 100 bytes"))
    }

    @Test func aCutNeverSplitsACharacter() {
        let text = String(repeating: "é", count: 3_000)  // 2 bytes each: 6000 bytes
        let (message, _) = PluginLogText.truncated(message: text, context: [])
        #expect(message.utf8.count == PluginLogText.maxTextBytes)
        #expect(message.allSatisfy { $0 == "é" })
    }

    @Test func pairsPastTheLimitAreDroppedAndNamed() {
        let context = (0..<40).map { ("k\($0)", "v") }
        let (_, pairs) = PluginLogText.truncated(message: "", context: context)
        #expect(pairs.count == PluginLogText.maxPairs + 1)
        #expect(pairs.last!.1 == "pairs past the first 32")
    }

    @Test func keysThatCouldForgePairsOrLinesAreMadeSafeAndTheMessageBecomesTheTextValue() {
        let metadata = PluginLogText.metadata(plugin: "p", message: "ok\nforged line level=error",
                                              context: [("a b=c\n", "1"), ("plugin", "other"), ("text", "t"),
                                                        ("", "empty")])
        #expect(metadata["plugin"] == "p")
        #expect(metadata["text"] == "ok\nforged line level=error")  // a value: the logger quotes and escapes it
        #expect(metadata["a_b_c_"] == "1")
        #expect(metadata["plugin_"] == "other")
        #expect(metadata["text_"] == "t")
        #expect(metadata["_"] == "empty")
        #expect(metadata.keys.allSatisfy { key in key.allSatisfy { $0.isLetter || $0.isNumber || "_.-".contains($0) } })
    }
}
