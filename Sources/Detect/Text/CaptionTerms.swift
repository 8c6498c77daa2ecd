internal import CXXHash
import Foundation

/// Turns a caption into the normalized terms that trigger mining counts: 1- to `maxN`-grams of folded tokens.
///
/// Normalization, in order:
/// - Unicode compatibility decomposition (NFKD: full-width forms, ligatures, superscripts fold to their plain
///   letters), then combining diacritics are dropped ("Café" → "cafe") and letters are lowercased; a few Latin
///   letters without a decomposition fold by table (ß → ss, ø → o, æ → ae, œ → oe, ł → l, đ/ð → d, þ → th).
///   Pure-ASCII captions, the common case, skip the decomposition and run on bytes.
/// - Tokens are maximal runs of letters, digits and non-diacritic marks. An apostrophe inside a word is dropped
///   ("don't" → "dont") and a possessive "'s" is cut ("Gogh's" → "gogh"). Han ideographs and kana are one
///   token each, so n-grams over them are character n-grams.
/// - Tokens that are a single ASCII letter ("t" in "t-shirt", initials) or longer than 64 bytes (URLs, hashes)
///   are dropped, and so are English stopwords (``Stopwords/english``).
/// - n-grams are formed over the remaining tokens of one *segment*. Removed stopwords do not break a segment
///   ("Statue of Liberty" gives "statue liberty", so a name with a function word in it stays one term), but
///   clause punctuation does (`. , ; : ! ? ( ) [ ] { } " | / \ < >`, line breaks, en/em dashes, a hyphen that does
///   not join two word characters): "The Starry Night, by Van Gogh" gives starry, night, starry night, van,
///   gogh, van gogh, and no "night van".
///
/// Deterministic and allocation-light: ``forEachTerm(in:_:)`` reuses one scratch buffer per call.
public struct CaptionTerms: Sendable, Hashable {
    /// The longest n-gram formed (1...3 in practice).
    public var maxN: Int

    public init(maxN: Int = 3) {
        self.maxN = max(1, maxN)
    }

    /// The sorted, unique terms of `caption`.
    public func terms(_ caption: String) -> [String] {
        var set = Set<String>()
        forEachTerm(in: caption) { set.insert(String(decoding: $0, as: UTF8.self)) }
        return set.sorted()
    }

    /// The normalized tokens of `caption` in order, stopwords removed.
    public func tokens(_ caption: String) -> [String] {
        var scratch = TokenScratch()
        CaptionTerms.tokenize(caption, into: &scratch)
        return (0..<scratch.count).map { scratch.tokenString($0) }
    }

    /// `text` normalized to its tokens joined by one space: the form in which a phrase appears as a term.
    ///
    /// "Teddy Bear" → "teddy bear", "Bird of Paradise" → "bird paradise", "Café" → "cafe".
    public func normalizedPhrase(_ text: String) -> String {
        tokens(text).joined(separator: " ")
    }

    /// Calls `body` with the UTF-8 bytes of every term occurrence of `caption`, in caption order (an n-gram that
    /// occurs twice is passed twice). The buffer is valid only during the call.
    public func forEachTerm(in caption: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var scratch = TokenScratch()
        CaptionTerms.tokenize(caption, into: &scratch)
        scratch.forEachNGram(maxN: maxN, body)
    }

    // MARK: - Tokenizer

    /// Splits `caption` into normalized tokens with their segment numbers.
    static func tokenize(_ caption: String, into scratch: inout TokenScratch) {
        scratch.reset()
        var isASCII = true
        for byte in caption.utf8 where byte >= 0x80 {
            isASCII = false
            break
        }
        if isASCII {
            for byte in caption.utf8 { scratch.feedASCII(byte) }
        } else {
            let decomposed = caption.decomposedStringWithCompatibilityMapping
            for scalar in decomposed.unicodeScalars {
                if scalar.value < 0x80 {
                    scratch.feedASCII(UInt8(scalar.value))
                } else {
                    scratch.feed(scalar)
                }
            }
        }
        scratch.finishToken()
    }
}

/// Scratch space for tokenizing one caption: token bytes, token boundaries and segment numbers.
struct TokenScratch {
    private(set) var bytes: [UInt8] = []
    private(set) var starts: [Int] = []
    private(set) var ends: [Int] = []
    private(set) var segments: [Int] = []
    private var segment = 0
    private var tokenStart = 0
    /// Byte offset of an apostrophe seen inside the current token.
    private var apostropheAt: Int?
    /// The last character fed was a word character (for telling "t-shirt" from "shoes - red").
    private var afterWordCharacter = false
    private var ngram: [UInt8] = []

    var count: Int { starts.count }

    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        segments.removeAll(keepingCapacity: true)
        segment = 0
        tokenStart = 0
        apostropheAt = nil
        afterWordCharacter = false
    }

    func tokenString(_ index: Int) -> String {
        String(decoding: bytes[starts[index]..<ends[index]], as: UTF8.self)
    }

    mutating func feedASCII(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            bytes.append(byte)
            afterWordCharacter = true
        case UInt8(ascii: "A")...UInt8(ascii: "Z"):
            bytes.append(byte | 0x20)
            afterWordCharacter = true
        case UInt8(ascii: "'"):
            apostrophe()
        case UInt8(ascii: "-"):
            if afterWordCharacter { softBreak() } else { hardBreak() }
        case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "!"),
            UInt8(ascii: "?"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"),
            UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "\""), UInt8(ascii: "|"), UInt8(ascii: "/"),
            UInt8(ascii: "\\"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
            hardBreak()
        default:
            softBreak()
        }
    }

    /// An ideograph or a kana: a token of its own, with no spaces between words to split on.
    static func standsAlone(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isIdeographic || (0x3040...0x30FF).contains(scalar.value)
    }

    mutating func feed(_ scalar: Unicode.Scalar) {
        let value = scalar.value
        // Combining diacritical marks (the blocks NFKD splits accents into): dropped, the word goes on.
        if (0x300...0x36F).contains(value) || (0x1AB0...0x1AFF).contains(value) || (0x1DC0...0x1DFF).contains(value)
            || (0x20D0...0x20FF).contains(value) || (0xFE20...0xFE2F).contains(value)
        {
            return
        }
        switch value {
        case 0x2019, 0x2018, 0x02BC:
            apostrophe()
            return
        case 0x2028, 0x2029, 0x2013, 0x2014, 0x2026:
            hardBreak()
            return
        default:
            break
        }
        if let folded = TokenScratch.latinFolds[value] {
            bytes.append(contentsOf: folded.utf8)
            afterWordCharacter = true
            return
        }
        let properties = scalar.properties
        if Self.standsAlone(scalar) {
            softBreak()
            bytes.append(contentsOf: String(scalar).utf8)
            softBreak()
            return
        }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark:
            if properties.changesWhenLowercased {
                bytes.append(contentsOf: properties.lowercaseMapping.utf8)
            } else {
                var buffer = (UInt8(0), UInt8(0), UInt8(0), UInt8(0))
                let length = withUnsafeMutableBytes(of: &buffer) { raw -> Int in
                    var index = 0
                    UTF8.encode(scalar) {
                        raw[index] = $0; index += 1
                    }
                    return index
                }
                withUnsafeBytes(of: buffer) { bytes.append(contentsOf: $0.prefix(length)) }
            }
            afterWordCharacter = true
        case .openPunctuation, .closePunctuation, .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .lineSeparator, .paragraphSeparator, .dashPunctuation:
            hardBreak()
        default:
            softBreak()
        }
    }

    private mutating func apostrophe() {
        if afterWordCharacter, apostropheAt == nil {
            apostropheAt = bytes.count
        } else {
            softBreak()
        }
    }

    private mutating func softBreak() {
        finishToken()
        afterWordCharacter = false
    }

    private mutating func hardBreak() {
        finishToken()
        afterWordCharacter = false
        segment += 1
    }

    /// Ends the current token: applies the possessive cut, the length rules and the stopword list.
    mutating func finishToken() {
        defer {
            tokenStart = bytes.count
            apostropheAt = nil
        }
        if let cut = apostropheAt, bytes.count - cut == 1, bytes[cut] == UInt8(ascii: "s") {
            bytes.removeLast()
        }
        let length = bytes.count - tokenStart
        if length == 0 { return }
        let dropped =
            length > 64
            || (length == 1 && bytes[tokenStart] >= UInt8(ascii: "a") && bytes[tokenStart] <= UInt8(ascii: "z"))
            || isStopword(from: tokenStart)
        if dropped {
            bytes.removeLast(length)
            return
        }
        starts.append(tokenStart)
        ends.append(bytes.count)
        segments.append(segment)
    }

    private func isStopword(from start: Int) -> Bool {
        let length = bytes.count - start
        if length > StopwordTable.longest { return false }
        return bytes.withUnsafeBufferPointer { buffer in
            StopwordTable.contains(UnsafeBufferPointer(rebasing: buffer[start..<(start + length)]))
        }
    }

    /// Calls `body` with every n-gram (n ≤ maxN) of tokens inside one segment.
    mutating func forEachNGram(maxN: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let count = starts.count
        if count == 0 { return }
        // Tokens are at most 64 bytes, so an n-gram fits in maxN × 65 bytes.
        let capacity = maxN * 65
        if ngram.count < capacity { ngram = [UInt8](repeating: 0, count: capacity) }
        let starts = self.starts
        let ends = self.ends
        let segments = self.segments
        bytes.withUnsafeBufferPointer { bytes in
            ngram.withUnsafeMutableBufferPointer { ngram in
                guard let out = ngram.baseAddress, let source = bytes.baseAddress else { return }
                var first = 0
                while first < count {
                    var last = first
                    while last + 1 < count, segments[last + 1] == segments[first] { last += 1 }
                    for i in first...last {
                        var length = 0
                        for n in 0..<maxN where i + n <= last {
                            if n > 0 {
                                out[length] = UInt8(ascii: " ")
                                length += 1
                            }
                            let tokenLength = ends[i + n] - starts[i + n]
                            (out + length).update(from: source + starts[i + n], count: tokenLength)
                            length += tokenLength
                            body(UnsafeBufferPointer(start: out, count: length))
                        }
                    }
                    first = last + 1
                }
            }
        }
    }

    /// Latin letters that have no canonical decomposition but fold to ASCII letters.
    static let latinFolds: [UInt32: String] = [
        0xDF: "ss", 0x1E9E: "ss", 0xF8: "o", 0xD8: "o", 0xE6: "ae", 0xC6: "ae", 0x153: "oe", 0x152: "oe",
        0x142: "l", 0x141: "l", 0x111: "d", 0x110: "d", 0xF0: "d", 0xD0: "d", 0xFE: "th", 0xDE: "th",
        0x131: "i", 0x17F: "s",
    ]
}

/// The stopword list as 64-bit hashes of the bytes, checked by hash then by bytes.
enum StopwordTable {
    static let longest: Int = Stopwords.english.map(\.utf8.count).max() ?? 0
    static let table: [UInt64: [UInt8]] = {
        var table: [UInt64: [UInt8]] = [:]
        for word in Stopwords.english {
            let bytes = Array(word.utf8)
            table[bytes.withUnsafeBufferPointer { TermHash.hash($0) }] = bytes
        }
        return table
    }()

    static func contains(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let word = table[TermHash.hash(bytes)] else { return false }
        return word.elementsEqual(bytes)
    }
}

/// 64-bit XXH3 of term bytes, used as the vocabulary's hash key.
enum TermHash {
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64 = 0) -> UInt64 {
        XXH3_64bits_withSeed(bytes.baseAddress, bytes.count, seed)
    }

    /// The hash of a term given as a string (normalized as ``CaptionTerms`` makes terms).
    static func hash(_ term: String) -> UInt64 {
        var term = term
        return term.withUTF8 { hash($0) }
    }
}
