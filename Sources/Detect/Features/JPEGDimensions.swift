import Foundation

/// Reads a JPEG's stored width and height from its SOF segment without decoding, so the decode scale can be
/// chosen before TurboJPEG runs.
enum JPEGDimensions {
    /// Width and height from the first start-of-frame marker; nil when the bytes are not a well-formed JPEG header.
    static func read(_ data: Data) -> (width: Int, height: Int)? {
        data.withUnsafeBytes { raw -> (width: Int, height: Int)? in
            let b = raw.bindMemory(to: UInt8.self)
            guard b.count >= 4, b[0] == 0xFF, b[1] == 0xD8 else { return nil }
            var i = 2
            while i + 3 < b.count {
                guard b[i] == 0xFF else { return nil }
                var m = i + 1
                while m < b.count, b[m] == 0xFF { m += 1 }  // fill bytes
                guard m + 2 < b.count else { return nil }
                let marker = b[m]
                if marker == 0x01 || (0xD0...0xD7).contains(marker) {
                    i = m + 1
                    continue
                }
                let length = Int(b[m + 1]) << 8 | Int(b[m + 2])
                guard length >= 2 else { return nil }
                if (0xC0...0xCF).contains(marker), marker != 0xC4, marker != 0xC8, marker != 0xCC {
                    guard m + 7 < b.count else { return nil }
                    let height = Int(b[m + 4]) << 8 | Int(b[m + 5])
                    let width = Int(b[m + 6]) << 8 | Int(b[m + 7])
                    return width > 0 && height > 0 ? (width, height) : nil
                }
                if marker == 0xDA || marker == 0xD9 { return nil }  // scan data before any frame header
                i = m + 1 + length
            }
            return nil
        }
    }

    /// The `DecodeOptions.minimumSide` that makes TurboJPEG decode at the largest power-of-two reduction
    /// (1/2, 1/4, 1/8: its fast scaled IDCTs; 3/8 or 5/8 decode slower than full size) whose shorter side is still
    /// at least `target`.
    static func powerOfTwoMinimumSide(width: Int, height: Int, target: Int) -> Int {
        let short = min(width, height)
        var shift = 0
        while shift < 3, (short + (1 << (shift + 1)) - 1) >> (shift + 1) >= target { shift += 1 }
        return (short + (1 << shift) - 1) >> shift
    }
}
