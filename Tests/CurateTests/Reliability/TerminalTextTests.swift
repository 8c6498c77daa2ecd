import Curate
import Testing

/// Input text shown on stderr cannot drive the terminal.
@Suite struct TerminalTextTests {
    @Test("escape sequences, bells, C1 controls and bidi overrides become visible escapes", arguments: [
        ("rtl-key\u{202E}\u{1B}[2J", "rtl-key\\u{202E}\\u{1B}[2J"),
        ("bell\u{07} del\u{7F} c1\u{9B}", "bell\\u{7} del\\u{7F} c1\\u{9B}"),
        ("isolate\u{2067}x\u{2069}", "isolate\\u{2067}x\\u{2069}"),
        ("line\nbreak\ttab", "line\\u{A}break\\u{9}tab"),
    ])
    func escapes(input: String, shown: String) {
        #expect(TerminalText.inert(input) == shown)
    }

    @Test("ordinary text, accents, CJK and emoji pass unchanged")
    func ordinaryText() {
        for text in ["a cat on a mat", "café crème", "東京の猫", "🐈‍⬛ cat", "/tmp/x.jsonl:3 (key a-b)"] {
            #expect(TerminalText.inert(text) == text)
        }
    }
}
