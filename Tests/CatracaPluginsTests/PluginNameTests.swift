import CatracaPlugins
import Testing

@Suite struct PluginNameTests {
    @Test func namesOfLettersDigitsDotsUnderscoresAndDashesAreValid() {
        for name in ["anti-passback", "visitor_qr", "occupancy.v2", "A", String(repeating: "x", count: 64)] {
            #expect(PluginName.isValid(name), "\(name)")
            #expect(PluginName.refusal(name) == nil)
        }
    }

    @Test func pathsHiddenNamesEmptyLongAndOddCharactersAreRefused() {
        let refused = ["../../../../tmp/x", "a/b", ".hidden", "..", "", String(repeating: "x", count: 65),
                       "two words", "quote\"", "line\nbreak", "café", "semi;colon"]
        for name in refused {
            #expect(!PluginName.isValid(name), "\(name)")
        }
    }

    @Test func theRefusalNamesTheRuleAndShowsTheNameWithoutItsControlCharacters() throws {
        let refusal = try #require(PluginName.refusal("../x\nforged=1"))
        #expect(refusal.contains("\"../x?forged?1\""))
        #expect(refusal.contains("1 to 64 of A-Z a-z 0-9 . _ -"))
        #expect(!refusal.contains("\n"))
    }
}
