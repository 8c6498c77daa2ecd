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
