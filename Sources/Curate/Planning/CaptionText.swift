import Detect
import Foundation

/// Finds and edits terms in caption text, touching only the words involved and the space next to them.
///
/// A caption carries a term where the trigger statistics say it does: both normalize with ``CaptionTerms`` (NFKD,
/// so full-width and compatibility forms fold to plain letters; accents and case dropped; stopwords out; n-grams
/// within a clause), so "statue liberty" matches "Statue of Liberty", "van gogh" matches "ＶＡＮ ＧＯＧＨ" and "Van
/// Gögh's", and "night van" does not match "starry night, van gogh". A rewrite that takes a term out therefore
/// takes it out of the after statistics too. Edits cut the original text, never a normalized copy of it.
public enum CaptionText {
    /// A word of a caption (a run of letters and digits): its place in the text and its folded form. Edits place
    /// insertions and tidy stopwords by these; term matching uses ``CaptionToken``s.
    struct Word {
        var range: Range<String.Index>
        var folded: String
    }

    /// Function words a removal would leave dangling at the end of a clause ("a dog by"): they go with the term.
    static let stopwords: Set<String> = [
        "a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "with", "by", "from", "is", "are", "was",
        "be", "as", "it", "its", "this", "that", "into", "over", "under", "de", "la", "le", "der", "die", "das",
    ]

    /// Lowercased, accents removed, and anything that is not a letter or digit dropped.
    public static func fold<S: StringProtocol>(_ text: S) -> String {
        // Fast path for ASCII, which is most caption words: no Foundation folding needed.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count)
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): bytes.append(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): bytes.append(byte + 32)
                default: break
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        let folded = String(text).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        return String(folded.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    /// The caption's words: runs of letters and digits, with apostrophes inside a word kept in it.
    static func words(_ caption: String) -> [Word] {
        var result: [Word] = []
        var index = caption.startIndex
        while index < caption.endIndex {
            guard isWordCharacter(caption[index]) else {
                index = caption.index(after: index)
                continue
            }
            let start = index
            var end = index
            while end < caption.endIndex {
                let character = caption[end]
                if isWordCharacter(character) {
                    end = caption.index(after: end)
                } else if character == "'" || character == "’", caption.index(after: end) < caption.endIndex,
                    isWordCharacter(caption[caption.index(after: end)])
                {
                    end = caption.index(after: end)
                } else {
                    break
                }
            }
            result.append(Word(range: start..<end, folded: fold(caption[start..<end])))
            index = end
        }
        return result
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }

    /// The spans of the caption where the term occurs, left to right, not overlapping.
    static func occurrences(of term: String, in caption: String, loose: Bool = false) -> [Range<String.Index>] {
        occurrences(of: term, in: tokens(caption), loose: loose)
    }

    /// The caption's tokens as the trigger statistics see them, each with the text it came from.
    static func tokens(_ caption: String) -> [CaptionToken] {
        CaptionTerms().tokenSpans(caption)
    }

    /// Whether already tokenized text contains the term (saves tokenizing a caption once per term).
    static func contains(_ term: String, in tokens: [CaptionToken], loose: Bool = false) -> Bool {
        !occurrences(of: term, in: tokens, loose: loose).isEmpty
    }

    /// Where the term's tokens follow one another within one segment of the caption: where the statistics count
    /// the term as an n-gram of the caption. The term is normalized the same way ("Van Gogh's" and "VAN GOGH" are
    /// "van gogh"; "ＶＡＮ ＧＯＧＨ" in the caption is too).
    static func occurrences(of term: String, in tokens: [CaptionToken], loose: Bool) -> [Range<String.Index>] {
        let termTokens = CaptionTerms().tokens(term)
        guard !termTokens.isEmpty, termTokens.count <= tokens.count else { return [] }
        var spans: [Range<String.Index>] = []
        var i = 0
        while i + termTokens.count <= tokens.count {
            let last = i + termTokens.count - 1
            let matches = tokens[last].segment == tokens[i].segment
                && termTokens.indices.allSatisfy { same(tokens[i + $0].text, termTokens[$0], loose: loose) }
            if matches {
                spans.append(tokens[i].range.lowerBound..<tokens[last].range.upperBound)
                i = last + 1
            } else {
                i += 1
            }
        }
        return spans
    }

    /// Whether a caption token stands for a term token (with `loose`, "flags" for "flag" as well).
    private static func same(_ token: String, _ termToken: String, loose: Bool) -> Bool {
        if token == termToken { return true }
        guard loose else { return false }
        if token.hasSuffix("s"), token.dropLast() == termToken[...] { return true }
        if token.hasSuffix("es"), token.dropLast(2) == termToken[...] { return true }
        return false
    }

    /// Whether the caption contains the term.
    public static func contains(_ term: String, in caption: String, loose: Bool = false) -> Bool {
        !occurrences(of: term, in: caption, loose: loose).isEmpty
    }

    /// The caption with every occurrence of the term removed, and the space around it tidied. Stopwords the
    /// removal would leave dangling at the end of a clause go with it ("a dog by van gogh" → "a dog", not
    /// "a dog by").
    public static func removing(_ term: String, from caption: String) -> String {
        removing([term], from: caption)
    }

    /// The caption with every occurrence of any of the terms removed at once: overlapping occurrences ("painting
    /// van" and "van gogh" in "painting van gogh") go as one span, where one after the other would leave "gogh".
    public static func removing(_ terms: [String], from caption: String) -> String {
        var text = caption
        // Removal can bring two halves of a term together ("van van gogh gogh"): repeat until it is gone.
        for _ in 0..<8 {
            let tokens = tokens(text)
            let found = terms.flatMap { occurrences(of: $0, in: tokens, loose: false) }
            if found.isEmpty { break }
            var spans: [Range<String.Index>] = []
            for span in found.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                if let last = spans.last, span.lowerBound <= last.upperBound {
                    spans[spans.count - 1] = last.lowerBound..<max(last.upperBound, span.upperBound)
                } else {
                    spans.append(span)
                }
            }
            text = splice(text, spans: withDanglingStopwords(spans, words: words(text), in: text), replacement: nil)
        }
        return text
    }

    /// The spans, each widened back over the stopwords right before it when nothing but space follows it up to
    /// the end of its clause (the text's end or `,.;:!?`) or up to the next widened span, or when a stopword
    /// follows it: without the terms they would end the clause ("with a van gogh with a van gogh" goes entirely)
    /// or meet another stopword ("a print of van gogh at a museum" → "a print at a museum").
    private static func withDanglingStopwords(
        _ spans: [Range<String.Index>], words: [Word], in text: String
    ) -> [Range<String.Index>] {
        var widened = spans
        var next: String.Index?
        for i in spans.indices.reversed() {
            let span = spans[i]
            let gap = text[span.upperBound..<(next ?? text.endIndex)]
            let rest = gap.drop { $0.isWhitespace }
            let followingWord = words.first { $0.range.lowerBound >= span.upperBound }
            let stopwordFollows = followingWord.map {
                stopwords.contains($0.folded) && $0.range.lowerBound < (next ?? text.endIndex)
                    && text[span.upperBound..<$0.range.lowerBound].allSatisfy(\.isWhitespace)
            } ?? false
            let endsClause = next != nil && rest.isEmpty || (rest.first.map { ",.;:!?".contains($0) } ?? true)
                || stopwordFollows
            var lower = span.lowerBound
            if endsClause, var position = words.lastIndex(where: { $0.range.upperBound <= span.lowerBound }) {
                while position >= 0, stopwords.contains(words[position].folded),
                    text[words[position].range.upperBound..<lower].allSatisfy(\.isWhitespace)
                {
                    lower = words[position].range.lowerBound
                    position -= 1
                }
            }
            widened[i] = lower..<span.upperBound
            next = lower
        }
        return widened
    }

    /// The caption with every occurrence of the term replaced by `replacement`.
    public static func replacing(_ term: String, with replacement: String, in caption: String) -> String {
        let spans = occurrences(of: term, in: caption)
        return spans.isEmpty ? caption : splice(caption, spans: spans, replacement: replacement)
    }

    /// Replaces (or removes) spans; after a removal the halves are joined with one space where words meet.
    private static func splice(_ caption: String, spans: [Range<String.Index>], replacement: String?) -> String {
        var segments: [Substring] = []
        var cursor = caption.startIndex
        for span in spans {
            segments.append(caption[cursor..<span.lowerBound])
            cursor = span.upperBound
        }
        segments.append(caption[cursor...])
        if let replacement { return segments.joined(separator: replacement) }
        let joined = segments.dropFirst().reduce(String(segments[0])) { join($0, $1) }
        return trimEnds(joined)
    }

    /// Joins the text left and right of a removed span: no doubled space, no space before punctuation.
    private static func join(_ left: String, _ right: Substring) -> String {
        guard let last = left.last, last.isWhitespace, let first = right.first else { return left + right }
        if first.isWhitespace { return left + right.drop { $0.isWhitespace } }
        if ",.;:!?)]}".contains(first) {
            var trimmed = Substring(left)
            while trimmed.last?.isWhitespace == true { trimmed = trimmed.dropLast() }
            // "oil painting, van gogh, night sky" loses the term and one of its two commas, not neither.
            if ",.;:!?".contains(first), let last = trimmed.last, ",;:".contains(last) { trimmed = trimmed.dropLast() }
            return String(trimmed) + right
        }
        return left + right
    }

    /// Drops space and separators a removal left dangling at either end.
    private static func trimEnds(_ caption: String) -> String {
        var text = Substring(caption)
        while let first = text.first, first.isWhitespace || ",;:".contains(first) { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace || ",;:".contains(last) { text = text.dropLast() }
        return String(text)
    }

    /// The caption with `word` inserted before word number `position` (at the end when `position` is the word count).
    public static func inserting(_ word: String, before position: Int, in caption: String) -> String {
        let words = words(caption)
        if caption.isEmpty { return word }
        guard position < words.count else {
            // Append after the last word, before trailing punctuation such as a final period.
            guard let last = words.last else { return caption + " " + word }
            let tail = caption[last.range.upperBound...]
            return String(caption[..<last.range.upperBound]) + " " + word + tail
        }
        // Before the whole token, so an opening quote or bracket stays with its word ("the \"big\" dog" gets
        // `7 "big"`, not `"7 big"`).
        var at = words[position].range.lowerBound
        while at > caption.startIndex, !caption[caption.index(before: at)].isWhitespace { at = caption.index(before: at) }
        return String(caption[..<at]) + word + " " + caption[at...]
    }

    /// Whether the caption holds a word at all (a letter or digit): a check over the bytes, cheap enough for
    /// every caption of a dataset, where ``wordCount(_:)`` splits and folds each word.
    public static func hasWords(_ caption: String) -> Bool {
        var ascii = true
        for byte in caption.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            case 0x80...: ascii = false
            default: break
            }
        }
        return !ascii && caption.contains { isWordCharacter($0) }
    }

    /// The number of words in the caption.
    public static func wordCount(_ caption: String) -> Int {
        words(caption).count
    }

    /// The caption with word number `position` replaced by `word`.
    public static func replacingWord(at position: Int, with word: String, in caption: String) -> String {
        let words = words(caption)
        guard position < words.count else { return caption }
        var text = caption
        text.replaceSubrange(words[position].range, with: word)
        return text
    }

    /// The text of word number `position`.
    public static func word(at position: Int, in caption: String) -> String? {
        let words = words(caption)
        return position < words.count ? String(caption[words[position].range]) : nil
    }

    /// The caption with word number `position` written twice ("a red car" → "a red red car").
    public static func repeatingWord(at position: Int, in caption: String) -> String {
        let words = words(caption)
        guard position < words.count else { return caption }
        let range = words[position].range
        return String(caption[..<range.upperBound]) + " " + caption[range] + caption[range.upperBound...]
    }
}
