/// Fast UTF-8 checks and `String` construction for the readers' hot paths.
///
/// `String(validating:as:)` goes through unspecialized generic code on this toolchain and dominated the
/// JSONL profile; this checks 8 ASCII bytes at a time and then builds the string with `String(decoding:)`.
enum UTF8Text {
    /// The text of `bytes` (invalid sequences replaced with U+FFFD) and whether the bytes were valid UTF-8.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> (String, valid: Bool) {
        (String(decoding: bytes, as: UTF8.self), isValid(bytes))
    }

    /// The text of `bytes` and whether they were valid UTF-8.
    static func decode(_ bytes: [UInt8]) -> (String, valid: Bool) {
        bytes.withUnsafeBufferPointer { decode($0) }
    }

    /// True when `bytes` is well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var index = 0
        @inline(__always) func continuation(_ offset: Int) -> Bool { base[offset] & 0xC0 == 0x80 }
        while index < count {
            if index + 8 <= count,
                UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                index += 8
                continue
            }
            let lead = base[index]
            switch lead {
            case 0x00..<0x80:
                index += 1
            case 0xC2..<0xE0:
                guard index + 1 < count, continuation(index + 1) else { return false }
                index += 2
            case 0xE0..<0xF0:
                guard index + 2 < count, continuation(index + 1), continuation(index + 2) else { return false }
                let second = base[index + 1]
                if lead == 0xE0, second < 0xA0 { return false }
                if lead == 0xED, second >= 0xA0 { return false }
                index += 3
            case 0xF0..<0xF5:
                guard index + 3 < count, continuation(index + 1), continuation(index + 2), continuation(index + 3)
                else { return false }
                let second = base[index + 1]
                if lead == 0xF0, second < 0x90 { return false }
                if lead == 0xF4, second >= 0x90 { return false }
                index += 4
            default:
                return false
            }
        }
        return true
    }
}
