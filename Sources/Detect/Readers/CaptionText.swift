import Foundation

/// Decoding of caption files (sidecar `.txt`, webdataset `.txt` members).
enum CaptionText {
    /// The caption in `data`: a UTF-8 BOM and trailing whitespace removed; `lossy` when invalid UTF-8 was replaced.
    static func decode(_ data: Data) -> (String, lossy: Bool) {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let text: String
        var lossy = false
        if let valid = String(validating: bytes, as: UTF8.self) {
            text = valid
        } else {
            text = String(decoding: bytes, as: UTF8.self)
            lossy = true
        }
        var trimmed = Substring(text)
        while let last = trimmed.last, last.isWhitespace { trimmed.removeLast() }
        return (String(trimmed), lossy)
    }
}
