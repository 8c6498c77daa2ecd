/// One normalized token of a caption and the stretch of the caption it came from.
public struct CaptionToken: Sendable, Hashable {
    /// The token as the term index holds it ("gogh" for "Gogh's", "van" for "ＶＡＮ").
    public var text: String
    /// The characters of the caption it came from, a possessive "'s" the normalizer cut included.
    public var range: Range<String.Index>
    /// Tokens of one segment form n-grams together; clause punctuation starts a new segment.
    public var segment: Int

    public init(text: String, range: Range<String.Index>, segment: Int) {
        self.text = text
        self.range = range
        self.segment = segment
    }
}

extension CaptionTerms {
    /// The caption's tokens as ``tokens(_:)`` makes them (same folding, stopwords and segments, so the same terms),
    /// each with the characters of the caption it came from: what an editor needs to take a term out of the text
    /// the user wrote, "ＶＡＮ ＧＯＧＨ" and "Van Gögh's" included.
    ///
    /// Slower than ``forEachTerm(in:_:)`` (it decomposes character by character to keep the positions), so it is
    /// meant for the captions a policy edits, not for indexing a dataset.
    public func tokenSpans(_ caption: String) -> [CaptionToken] {
        var scratch = TokenScratch()
        scratch.reset()
        var characters: [Range<String.Index>] = []
        // The character each byte of `scratch.bytes` came from. The scratch only ever appends bytes or cuts them
        // from its end, so a position stays valid while its byte is there.
        var origin: [Int] = []
        func sync(_ character: Int) {
            let count = scratch.bytes.count
            if origin.count > count {
                origin.removeLast(origin.count - count)
            } else if origin.count < count {
                origin.append(contentsOf: repeatElement(character, count: count - origin.count))
            }
        }
        var index = caption.startIndex
        while index < caption.endIndex {
            let next = caption.index(after: index)
            let character = caption[index]
            let number = characters.count
            characters.append(index..<next)
            if character.isASCII {
                for byte in character.utf8 {
                    scratch.feedASCII(byte)
                    sync(number)
                }
            } else {
                // NFKD per character is NFKD of the caption: no character starts with a mark that could reorder
                // across the boundary.
                for scalar in String(character).decomposedStringWithCompatibilityMapping.unicodeScalars {
                    if scalar.value < 0x80 {
                        scratch.feedASCII(UInt8(scalar.value))
                    } else {
                        // An ideograph ends the token before it and is a token of its own: end the one before
                        // here, so one feed never both cuts a dropped token and appends the next.
                        if TokenScratch.standsAlone(scalar) {
                            scratch.feedASCII(UInt8(ascii: " "))
                            sync(number)
                        }
                        scratch.feed(scalar)
                    }
                    sync(number)
                }
            }
            index = next
        }
        scratch.finishToken()
        sync(characters.count)

        return (0..<scratch.count).map { token in
            let first = characters[origin[scratch.starts[token]]]
            var end = characters[origin[scratch.ends[token] - 1]].upperBound
            // A possessive the normalizer cut ("Gogh's" → "gogh") goes with its word.
            var rest = caption[end...]
            if let apostrophe = rest.first, "'’‘ʼ".contains(apostrophe) {
                rest = rest.dropFirst()
                let after = rest.dropFirst().first
                if let s = rest.first, s == "s" || s == "S", after.map({ !($0.isLetter || $0.isNumber) }) ?? true {
                    end = rest.index(after: rest.startIndex)
                }
            }
            return CaptionToken(
                text: scratch.tokenString(token), range: first.lowerBound..<end, segment: scratch.segments[token])
        }
    }

    /// The distinct n-grams (n ≤ ``maxN``) of tokens from ``tokenSpans(_:)``: the caption's terms, as
    /// ``terms(_:)`` gives them.
    public func terms(of tokens: [CaptionToken]) -> Set<String> {
        var result = Set<String>()
        for start in tokens.indices {
            var phrase = ""
            for n in 0..<maxN where start + n < tokens.count && tokens[start + n].segment == tokens[start].segment {
                phrase += n == 0 ? tokens[start].text : " " + tokens[start + n].text
                result.insert(phrase)
            }
        }
        return result
    }
}
