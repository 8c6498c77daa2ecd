/// Finds uniform borders (padding, letterboxing, pillarboxing) around an image so the content can be hashed alone.
///
/// A border is a run of near-constant lines at an edge. Each side is judged on its own (letterboxing pads two
/// sides; padding may use a different color per side). JPEG noise and ringing are tolerated: a line belongs to the
/// border when nearly all its pixels sit within `tolerance` of the color of the outermost line.
public struct BorderTrimmer: Sendable, Hashable {
    /// Largest difference from the border color that still counts as border.
    public var tolerance: Int
    /// Share of a line's pixels that must be within tolerance.
    public var minimumShare: Double
    /// A side is trimmed only when its border is at least this share of the image's size on that axis.
    public var minimumBorder: Double
    /// Trimming is refused when it would leave less than this share of either side (a flat image is not a border).
    public var minimumContent: Double

    public init(tolerance: Int = 24, minimumShare: Double = 0.97, minimumBorder: Double = 0.02, minimumContent: Double = 0.3) {
        self.tolerance = tolerance
        self.minimumShare = minimumShare
        self.minimumBorder = minimumBorder
        self.minimumContent = minimumContent
    }

    /// The content rectangle of a `width x height` gray image, or nil when there is no border to trim.
    public func contentRect(gray: [UInt8], width: Int, height: Int) -> (x: Int, y: Int, width: Int, height: Int)? {
        guard width >= 8, height >= 8, gray.count == width * height else { return nil }
        return gray.withUnsafeBufferPointer { p -> (x: Int, y: Int, width: Int, height: Int)? in
            // Each side: (first line index, step between lines, step along a line, line length, line count).
            let top = border(p, start: 0, lineStep: width, pixelStep: 1, length: width, lines: height)
            let bottom = border(p, start: (height - 1) * width, lineStep: -width, pixelStep: 1, length: width, lines: height)
            let left = border(p, start: 0, lineStep: 1, pixelStep: width, length: height, lines: width)
            let right = border(p, start: width - 1, lineStep: -1, pixelStep: width, length: height, lines: width)
            let minRows = max(2, Int((minimumBorder * Double(height)).rounded(.up)))
            let minCols = max(2, Int((minimumBorder * Double(width)).rounded(.up)))
            // One more line goes with each trimmed side: the content's first line is smeared by JPEG ringing.
            let t = top >= minRows ? min(top + 1, height) : 0
            let b = bottom >= minRows ? min(bottom + 1, height) : 0
            let l = left >= minCols ? min(left + 1, width) : 0
            let r = right >= minCols ? min(right + 1, width) : 0
            guard t + b + l + r > 0 else { return nil }
            let w = width - l - r, h = height - t - b
            guard Double(w) >= minimumContent * Double(width), Double(h) >= minimumContent * Double(height), w >= 8, h >= 8 else {
                return nil
            }
            return (l, t, w, h)
        }
    }

    /// How many lines from one edge inward are uniform in the color of the outermost line.
    private func border(
        _ p: UnsafeBufferPointer<UInt8>, start: Int, lineStep: Int, pixelStep: Int, length: Int, lines: Int
    ) -> Int {
        var total = 0
        for i in 0..<length { total += Int(p[start + i * pixelStep]) }
        let color = (total + length / 2) / length
        let allowedOutliers = Int(Double(length) * (1 - minimumShare))
        var count = 0
        // Stop before half the image: a border never covers the middle.
        while count < lines / 2 {
            let base = start + count * lineStep
            var outliers = 0
            var sum = 0
            for i in 0..<length {
                let v = Int(p[base + i * pixelStep])
                sum += v
                if abs(v - color) > tolerance {
                    outliers += 1
                    if outliers > allowedOutliers { return count }
                }
            }
            // The mean must stay close too, so a slow gradient (sky) is not taken for a border.
            if abs(sum - color * length) > (tolerance / 2) * length { return count }
            count += 1
        }
        return count
    }
}
