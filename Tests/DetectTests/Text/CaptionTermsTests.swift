import Detect
import Testing

@Suite struct CaptionTermsTests {
    let termizer = CaptionTerms()

    @Test("a title with an artist gives its words and phrases, no n-gram across the comma")
    func starryNight() {
        #expect(
            termizer.terms("The Starry Night, by Van Gogh")
                == ["gogh", "night", "starry", "starry night", "van", "van gogh"])
    }

    @Test(
        "normalization folds case, diacritics, compatibility forms and punctuation",
        arguments: [
            ("Café Crème", ["cafe", "creme"]),
            ("ＦＵＬＬＷＩＤＴＨ Letters", ["fullwidth", "letters"]),
            ("Straße in Ørsted", ["strasse", "orsted"]),
            ("Van Gogh's sunflowers", ["van", "gogh", "sunflowers"]),
            ("don't STOP believing", ["stop", "believing"]),
            ("a t-shirt", ["shirt"]),
            ("🚀 rocket launch!!!", ["rocket", "launch"]),
            ("Ｅｌ Ｎｉñｏ", ["el", "nino"]),
            ("ﬁsh ﬂag", ["fish", "flag"]),
            ("Ærøskøbing œuvre", ["aeroskobing", "oeuvre"]),
            ("size 10 shoes", ["size", "10", "shoes"]),
            ("ΑΘΗΝΑ Ελλάδα", ["αθηνα", "ελλαδα"]),
            ("", []),
            ("The of and, to a!", []),
        ])
    func normalization(caption: String, expected: [String]) {
        #expect(termizer.tokens(caption) == expected)
    }

    @Test("stopwords are removed but do not break phrases; clause punctuation does")
    func stopwordsAndSegments() {
        let terms = termizer.terms("Statue of Liberty at night")
        #expect(terms.contains("statue liberty"))
        #expect(terms.contains("statue liberty night"))
        #expect(!terms.contains("of"))
        let shop = termizer.terms("Nike Shoes - Red | Size 10")
        #expect(shop == ["10", "nike", "nike shoes", "red", "shoes", "size", "size 10"])
    }

    @Test("a hyphen inside a word joins a phrase, a spaced dash breaks it")
    func hyphens() {
        #expect(termizer.terms("black-and-white photo").contains("black white photo"))
        #expect(!termizer.terms("black - white").contains("black white"))
    }

    @Test("n-grams go up to maxN and no further")
    func ngramLengths() {
        let three = termizer.terms("alpha beta gamma delta")
        #expect(three.count == 4 + 3 + 2)
        #expect(three.contains("alpha beta gamma"))
        #expect(!three.contains("alpha beta gamma delta"))
        #expect(CaptionTerms(maxN: 1).terms("alpha beta gamma") == ["alpha", "beta", "gamma"])
    }

    @Test("ideographs and kana are one token each")
    func cjk() {
        #expect(termizer.tokens("東京タワー") == ["東", "京", "タ", "ワ", "ー"])
        #expect(termizer.terms("東京").contains("東 京"))
    }

    @Test("over-long tokens (URLs, hashes) and single letters are dropped")
    func lengthRules() {
        let long = String(repeating: "x", count: 65)
        #expect(termizer.tokens("see \(long) tower") == ["see", "tower"])
        #expect(termizer.tokens("j r tolkien") == ["tolkien"])
    }

    @Test("phrases normalize like captions")
    func phrases() {
        #expect(termizer.normalizedPhrase("Teddy Bear") == "teddy bear")
        #expect(termizer.normalizedPhrase("Bird of Paradise") == "bird paradise")
    }

    @Test("forEachTerm passes repeated n-grams each time, terms() deduplicates")
    func repeats() {
        var seen: [String] = []
        termizer.forEachTerm(in: "dog dog") { seen.append(String(decoding: $0, as: UTF8.self)) }
        #expect(seen == ["dog", "dog dog", "dog"])
        #expect(termizer.terms("dog dog") == ["dog", "dog dog"])
    }
}

/// Token spans: the tokens and terms of the statistics, each tied to the text it came from, for editors.
@Suite struct CaptionTokenSpanTests {
    let termizer = CaptionTerms()
    static let captions = [
        "The Starry Night, by Van Gogh", "Ｆｕｌｌｗｉｄｔｈ ＶＡＮ ＧＯＧＨ text", "ｃｒèｍｅ ｂｒûｌéｅ close-up",
        "Van Gögh's STARRY NIGHT, oil.", "東京タワーの夜景", "東京 タワー at night", "Straße in München",
        "İstanbul skyline", "a t-shirt, don't STOP", "ﬁsh ﬂag ½ ㎏", "e\u{301}cole e\u{301}te\u{301}", "\r\nline\r\nbreaks",
        "Ｅｌ Ｎｉñｏ", "ΑΘΗΝΑ Ελλάδα", "rock'n'roll’s “quotes”", "", "  ", "🚀 rocket launch!!!",
    ]

    @Test("token spans give the very tokens and terms the statistics count", arguments: captions)
    func sameTokens(caption: String) {
        let spans = termizer.tokenSpans(caption)
        #expect(spans.map(\.text) == termizer.tokens(caption))
        #expect(termizer.terms(of: spans) == Set(termizer.terms(caption)))
    }

    @Test("each token's span is the text it came from", arguments: captions)
    func spansCoverTheirText(caption: String) {
        for token in termizer.tokenSpans(caption) {
            // The span normalizes to its token again (a character like "½" gives two tokens, "1" and "2").
            #expect(termizer.tokens(String(caption[token.range])).contains(token.text), "\(token) in \(caption)")
        }
    }

    @Test("spans cover the original characters: full-width letters, a possessive, ideographs")
    func spanText() {
        func texts(_ caption: String) -> [String] { termizer.tokenSpans(caption).map { String(caption[$0.range]) } }
        #expect(texts("Ｆｕｌｌｗｉｄｔｈ ＶＡＮ ＧＯＧＨ text") == ["Ｆｕｌｌｗｉｄｔｈ", "ＶＡＮ", "ＧＯＧＨ", "text"])
        #expect(texts("Van Gögh's STARRY NIGHT, oil.") == ["Van", "Gögh's", "STARRY", "NIGHT", "oil"])
        #expect(texts("東京タワー") == ["東", "京", "タ", "ワ", "ー"])
        #expect(termizer.tokenSpans("starry night, van gogh").map(\.segment) == [0, 0, 1, 1])
    }
}
