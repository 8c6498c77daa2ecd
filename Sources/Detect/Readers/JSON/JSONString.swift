import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Decoding and encoding of JSON string literals.
public enum JSONString {
    /// Decodes the contents of a JSON string (the bytes between the quotes, already validated as JSON).
    ///
    /// - Returns: the text and whether anything had to be replaced with U+FFFD (invalid UTF-8, lone surrogates).
    public static func decode(_ body: UnsafeBufferPointer<UInt8>) -> (String, lossy: Bool) {
        if body.isEmpty || memchr(body.baseAddress!, Int32(UInt8(ascii: "\\")), body.count) == nil {
            let (text, valid) = UTF8Text.decode(body)
            return (text, !valid)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(body.count)
        var lossy = false
        var index = 0
        while index < body.count {
            // Copy the run up to the next backslash in one go.
            let rest = body.count - index
            let found = memchr(body.baseAddress! + index, Int32(UInt8(ascii: "\\")), rest)
            let runEnd =
                found.map { body.baseAddress!.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? body.count
            if runEnd > index {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: body[index..<runEnd]))
                index = runEnd
                continue
            }
            guard index + 1 < body.count else {
                bytes.append(body[index])
                index += 1
                continue
            }
            let escape = body[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                guard let unit = hex4(body, index) else {
                    lossy = true
                    appendScalar(0xFFFD, to: &bytes)
                    continue
                }
                index += 4
                if (0xD800...0xDBFF).contains(unit) {
                    if index + 6 <= body.count, body[index] == UInt8(ascii: "\\"), body[index + 1] == UInt8(ascii: "u"),
                        let low = hex4(body, index + 2), (0xDC00...0xDFFF).contains(low)
                    {
                        index += 6
                        appendScalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), to: &bytes)
                    } else {
                        lossy = true
                        appendScalar(0xFFFD, to: &bytes)
                    }
                } else if (0xDC00...0xDFFF).contains(unit) {
                    lossy = true
                    appendScalar(0xFFFD, to: &bytes)
                } else {
                    appendScalar(unit, to: &bytes)
                }
            default:
                bytes.append(escape)
            }
        }
        let (text, valid) = UTF8Text.decode(bytes)
        return (text, lossy || !valid)
    }

    /// Decodes a JSON string literal given with its quotes; nil when `literal` is not a string literal.
    public static func decodeLiteral(_ literal: String) -> (String, lossy: Bool)? {
        var literal = literal
        return literal.withUTF8 { utf8 in
            guard utf8.count >= 2, utf8.first == UInt8(ascii: "\""), utf8.last == UInt8(ascii: "\"") else { return nil }
            return decode(UnsafeBufferPointer(rebasing: utf8[1..<(utf8.count - 1)]))
        }
    }

    /// The JSON string literal for `text`, quotes included, escaping only what JSON requires.
    public static func quote(_ text: String) -> String {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(text.utf8.count + 2)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x00..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                out += [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), digits[Int(byte >> 4)],
                    digits[Int(byte & 15)],
                ]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private static func hex4(_ body: UnsafeBufferPointer<UInt8>, _ start: Int) -> UInt32? {
        guard start + 4 <= body.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard let digit = hexValue(body[start + offset]) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    private static func appendScalar(_ value: UInt32, to bytes: inout [UInt8]) {
        let scalar = Unicode.Scalar(value)?.value ?? 0xFFFD
        switch scalar {
        case 0..<0x80:
            bytes.append(UInt8(scalar))
        case 0x80..<0x800:
            bytes.append(UInt8(0xC0 | scalar >> 6))
            bytes.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            bytes.append(UInt8(0xE0 | scalar >> 12))
            bytes.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            bytes.append(UInt8(0x80 | scalar & 0x3F))
        default:
            bytes.append(UInt8(0xF0 | scalar >> 18))
            bytes.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            bytes.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            bytes.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
