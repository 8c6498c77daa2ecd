import Curate
import Detect
import Testing

@Suite struct CaptionTextTests {
    @Test(
        "removing a term keeps the rest of the caption intact",
        arguments: [
            ("Starry Night by Van Gogh, oil on canvas", "starry night", "by Van Gogh, oil on canvas"),
            ("a print of VAN GOGH's starry night.", "van gogh", "a print of starry night."),
            ("Café   Terrace at Night (van Gogh)", "van gogh", "Café   Terrace at Night ()"),
            ("the statue of liberty at dusk", "statue liberty", "at dusk"),
            ("van van gogh gogh", "van gogh", ""),
            ("a café in Paris", "cafe", "in Paris"),
            ("nothing to see", "van gogh", "nothing to see"),
            // Stopwords the removal would leave at the end of a clause go with the term; others stay.
            ("a dog by van gogh", "van gogh", "a dog"),
            ("a painting with a van gogh. nice", "van gogh", "a painting. nice"),
            ("a van gogh painting of a village", "van gogh", "a painting of a village"),
            ("starry night by van gogh, oil", "van gogh", "starry night, oil"),
            ("by van gogh", "van gogh", ""),
            ("a print of van gogh at a museum", "van gogh", "a print at a museum"),
            ("oil painting, van gogh, night sky", "van gogh", "oil painting, night sky"),
            ("a van gogh. the end", "van gogh", ". the end"),
            ("nike with a long text with a long text", "long text", "nike"),
            ("a long text on a long text board", "long text", "on a board"),
        ])
    func removal(caption: String, term: String, expected: String) {
        #expect(CaptionText.removing(term, from: caption) == expected)
        #expect(!CaptionText.contains(term, in: CaptionText.removing(term, from: caption)))
    }

    @Test(
        "a term is found and taken out where the trigger statistics count it: full-width, accented, ideographs",
        arguments: [
            ("Ｆｕｌｌｗｉｄｔｈ ＶＡＮ ＧＯＧＨ text", "van gogh", "Ｆｕｌｌｗｉｄｔｈ text"),
            ("ＶＡＮ ＧＯＧＨ painting", "van gogh", "painting"),
            ("ｃｒèｍｅ ｂｒûｌéｅ close-up", "creme brulee", "close-up"),
            ("Van Gögh's starry night", "van gogh", "starry night"),
            ("東京タワーの夜景", "東京", "タワーの夜景"),
            ("東京タワーの夜景", "東 京", "タワーの夜景"),
            ("a Straße in München", "strasse", "in München"),
            ("ﬁsh and chips", "fish", "and chips"),
            // Clause punctuation ends a term, as it ends the statistics' n-grams.
            ("starry night, van gogh", "night van", "starry night, van gogh"),
            // Any stopword of the normalizer may sit inside the term, as in the statistics.
            ("statue of all liberty", "statue liberty", ""),
        ])
    func normalizedMatching(caption: String, term: String, expected: String) {
        let terms = CaptionTerms()
        let phrase = terms.normalizedPhrase(term)
        #expect(CaptionText.contains(term, in: caption) == terms.terms(caption).contains(phrase))
        let after = CaptionText.removing(term, from: caption)
        #expect(after == expected)
        #expect(!terms.terms(after).contains(phrase), "\(after) still carries \(phrase)")
    }

    @Test("term matching is word-wise, not substring")
    func wordWise() {
        #expect(!CaptionText.contains("cat", in: "a catalogue of concatenated things"))
        #expect(CaptionText.contains("cat", in: "A CAT!"))
        #expect(!CaptionText.contains("flag", in: "two flags"))
        #expect(CaptionText.contains("flag", in: "two flags", loose: true))
    }

    @Test("hasWords agrees with wordCount", arguments: ["", "  ", "a", ", .;", "café", "—", "日本", "42", " x "])
    func hasWords(caption: String) {
        #expect(CaptionText.hasWords(caption) == (CaptionText.wordCount(caption) > 0))
    }

    @Test("insertion lands between words and before the final period")
    func insertion() {
        #expect(CaptionText.inserting("blue", before: 1, in: "a car.") == "a blue car.")
        #expect(CaptionText.inserting("blue", before: 2, in: "a car.") == "a car blue.")
        #expect(CaptionText.inserting("blue", before: 0, in: "") == "blue")
        // An opening quote or bracket stays with its word.
        #expect(CaptionText.inserting("7", before: 1, in: "the \"big\" dog") == "the 7 \"big\" dog")
        #expect(CaptionText.inserting("7", before: 1, in: "a (red) car") == "a 7 (red) car")
        #expect(CaptionText.repeatingWord(at: 1, in: "a red car") == "a red red car")
    }
}
