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
            let minRows = minimumLines(height), minCols = minimumLines(width)
            // One more line goes with each trimmed side: the content's first line is smeared by JPEG ringing.
            let t = top >= minRows ? min(top + 1, height) : 0
            let b = bottom >= minRows ? min(bottom + 1, height) : 0
            let l = left >= minCols ? min(left + 1, width) : 0
            let r = right >= minCols ? min(right + 1, width) : 0
            guard t + b + l + r > 0 else { return nil }
            let w = width - l - r, h = height - t - b
            guard leavesContent(w, h, of: width, height) else { return nil }
            return (l, t, w, h)
        }
    }

    /// The content rectangle without a detached caption: where a trimmed border (see `contentRect`) holds a thin
    /// block of text, at most `captionShare` of the content's height and spanning at least `captionAspect` times its
    /// height, set off from the rest by plain lines of the border's own colour, the block and those lines are cut and
    /// what is left is trimmed again. So a meme caption in a bar above a photo, or a line of text under a product on
    /// white or in a polaroid's frame, no longer stretches the trimmed content. `content` is `contentRect`'s answer
    /// for the image; the answer is that rectangle when nothing is cut.
    public func uncaptionedRect(
        gray: [UInt8], width: Int, height: Int, content: (x: Int, y: Int, width: Int, height: Int)?,
        captionShare: Double = 0.25, captionAspect: Double = 5
    ) -> (x: Int, y: Int, width: Int, height: Int)? {
        guard let rect = content, gray.count == width * height, rect.width >= 8, rect.height >= 8, rect.x >= 0,
            rect.y >= 0, rect.x + rect.width <= width, rect.y + rect.height <= height
        else { return content }
        let (top, bottom) = gray.withUnsafeBufferPointer { p -> (Int, Int) in
            let columns = rect.x..<(rect.x + rect.width)
            func mean(_ line: Int) -> Int { lineMean(p, start: line * width + rect.x, pixelStep: 1, length: rect.width) }
            /// Whether the lines from `edge` up to `gap` (exclusive) are a line of text on the gap's colour: what is
            /// off that colour spans at least `captionAspect` times the block's height, with a margin of that colour
            /// on either side (the edge of a table or a bumper runs across the whole picture), and holds strokes of
            /// high contrast (not the dusk at the bottom of a photo).
            func isCaption(from edge: Int, to gap: Int, colour: Int) -> Bool {
                var first = Int.max, last = Int.min, strokes = 0
                for line in stride(from: edge, to: gap, by: edge < gap ? 1 : -1) {
                    for x in columns {
                        let difference = abs(Int(p[line * width + x]) - colour)
                        guard difference > tolerance else { continue }
                        first = min(first, x)
                        last = max(last, x)
                        if difference > 3 * tolerance { strokes += 1 }
                    }
                }
                let margin = minimumLines(width), lines = abs(gap - edge)
                return first <= last && Double(last - first + 1) >= captionAspect * Double(lines)
                    && first >= margin && width - 1 - last >= margin && strokes >= lines
            }
            /// From the content's first line at `edge` inward by `step`: the end of the first run of plain lines (at
            /// least `minimumLines`) in the colour of the image's `outer` line that follows a caption block; nil when
            /// none starts within `captionShare` of the content.
            func gapEnd(from edge: Int, step: Int, outer: Int) -> Int? {
                let colour = mean(outer)
                let gapLines = minimumLines(height)
                var line = edge + 2 * step
                while abs(line - edge) <= Int(captionShare * Double(rect.height)) {
                    let plain = border(
                        p, start: line * width + rect.x, lineStep: step * width, pixelStep: 1, length: rect.width,
                        lines: 2 * (rect.height - abs(line - edge)))
                    if plain >= gapLines {
                        guard abs(mean(line) - colour) <= tolerance, isCaption(from: edge, to: line, colour: colour)
                        else { return nil }
                        // One more line goes with the gap, as with a border: the picture's first line is smeared.
                        return line + step * min(plain + 1, rect.height / 2)
                    }
                    line += step
                }
                return nil
            }
            let end = rect.y + rect.height
            let top = rect.y > 0 ? gapEnd(from: rect.y, step: 1, outer: 0) ?? rect.y : rect.y
            let bottom = end < height ? gapEnd(from: end - 1, step: -1, outer: height - 1).map { $0 + 1 } ?? end : end
            return (top, bottom)
        }
        guard top != rect.y || bottom != rect.y + rect.height, bottom - top >= rect.height / 2 else { return content }
        // The image without the cut lines and whatever lies beyond them is trimmed as a whole, as the picture
        // without its caption would be.
        let first = top != rect.y ? top : 0, end = bottom != rect.y + rect.height ? bottom : height
        let rest = Array(gray[(first * width)..<(end * width)])
        let inner = contentRect(gray: rest, width: width, height: end - first) ?? (0, 0, width, end - first)
        return (inner.x, first + inner.y, inner.width, inner.height)
    }

    /// The picture inside a page: the rectangle left when lines that are mostly page colour are peeled, first the
    /// rows from the top and the bottom, then the columns from either side over the rows that are left. Unlike
    /// `contentRect`, a page line may carry text or icons: at least `pageShare` of it within `pageTolerance` of its
    /// median, and no run of off-page pixels longer than `pageMaximumRun` of it (letters and words are short runs,
    /// a picture's line is one long one). The page colour may change at a plain line (a header bar ends, the page
    /// begins). So a photo shown in a screenshot, a post or an image viewer comes out without the header, caption
    /// and toolbar around it. Nil unless at least two sides peel, at least a tenth of the image in all (a photo's
    /// sky alone is not a page), or when too much peels.
    ///
    /// One pass each way, not peeling until nothing more peels: once the margins are gone, the bright rows of a
    /// photo (sky, snow) pass as page and a second pass eats into it. Measured through `NearDuplicateClusterer`
    /// (pair F1; the held-out gcompris set's screenshot is a photo at 60-75% of a 1080 px page under a header,
    /// above a caption; scripts/make-page-eval.py's set has four other layouts around the benchmark's photos):
    /// - one pass: held-out 0.938 -> 0.973 (precision 0.997 -> 0.999); two passes 0.965; to the end 0.954;
    /// - page tolerance 24 (the border's): 17 of the 32 fixture photos got an inset view, 12: 6, 8: 6 (with the
    ///   two-sides rule 5); on the page set 0.644 (24, one side allowed), 0.566 (12), 0.533 (8); 0.209 with no
    ///   inset view (0.560 at 12 once the inset kept only its pHash). The tuned benchmark stays at 0.978,
    ///   held-out at 0.973;
    /// - page share 0.4 or 0.5 alike, 0.65 and 0.75 lower; run limit 0.2 of the line 0.973, 0.3 0.972, none 0.971.
    public func insetRect(
        gray: [UInt8], width: Int, height: Int, pageTolerance: Int = 12, pageShare: Double = 0.5,
        pageMaximumRun: Double = 0.2
    ) -> (x: Int, y: Int, width: Int, height: Int)? {
        guard width >= 8, height >= 8, gray.count == width * height else { return nil }
        let page = BorderTrimmer(
            tolerance: pageTolerance, minimumShare: pageShare, minimumBorder: minimumBorder,
            minimumContent: minimumContent)
        return gray.withUnsafeBufferPointer { p -> (x: Int, y: Int, width: Int, height: Int)? in
            // A plain line (where the page colour may change) is one this trimmer would take for a border.
            let lines = PageLines(maximumRun: pageMaximumRun, plainShare: minimumShare)
            func peel(start: Int, lineStep: Int, pixelStep: Int, length: Int, lines count: Int) -> Int {
                page.border(
                    p, start: start, lineStep: lineStep, pixelStep: pixelStep, length: length, lines: count,
                    page: lines)
            }
            let top = peel(start: 0, lineStep: width, pixelStep: 1, length: width, lines: height)
            let bottom =
                height
                - peel(start: (height - 1) * width, lineStep: -width, pixelStep: 1, length: width, lines: height - top)
            let rows = bottom - top
            let left = peel(start: top * width, lineStep: 1, pixelStep: width, length: rows, lines: width)
            let right =
                width
                - peel(start: top * width + width - 1, lineStep: -1, pixelStep: width, length: rows, lines: width - left)
            let w = right - left, h = rows
            let minRows = minimumLines(height), minCols = minimumLines(width)
            let sides = [top >= minRows, height - bottom >= minRows, left >= minCols, width - right >= minCols]
            guard sides.filter({ $0 }).count >= 2 else { return nil }
            // A few peeled lines are a photo's own edge; a page leaves a tenth of the image or more around its picture.
            guard Double(w * h) <= 0.9 * Double(width * height), leavesContent(w, h, of: width, height) else {
                return nil
            }
            return (left, top, w, h)
        }
    }

    /// The picture inside a window or a post: the image below a title bar or header and above a caption or status
    /// line, trimmed as `contentRect` trims (plain lines in one colour at each side), so a screenshot of a photo on a
    /// viewer's plain canvas gives the photo's own rectangle. From each edge, within `barShare` of the height, the
    /// canvas is the first run of plain lines that the picture follows: a line off the canvas colour for a run of
    /// at least `pictureRun` of the width (a line of text is short runs); what lies before it is the bar. Nil when
    /// there is no bar at either edge, when the canvas does not frame the picture on two sides or more, when a
    /// framed side's edge does not run off the canvas colour (text beside the picture), or when a side it does not
    /// frame ends in a plain line (a margin, not the picture's edge).
    /// `insetRect`'s looser page lines, which may carry text, cut into a photo whose edge comes close to the
    /// canvas colour (sand on grey) or whose own background is plain (a flower on black); these lines may not.
    public func framedRect(
        gray: [UInt8], width: Int, height: Int, barShare: Double = 0.3, pictureRun: Double = 0.2
    ) -> (x: Int, y: Int, width: Int, height: Int)? {
        guard width >= 8, height >= 8, gray.count == width * height else { return nil }
        let minRows = minimumLines(height)
        let (first, end) = gray.withUnsafeBufferPointer { p -> (Int, Int) in
            func isPicture(_ line: Int, colour: Int) -> Bool {
                offColourRun(p, start: line * width, pixelStep: 1, length: width, colour: colour)
                    >= pictureRun * Double(width)
            }
            /// Whether 16 pixels spread over the line leave it possibly plain: at most two of them more than twice
            /// the tolerance from their median (a plain line's pixels nearly all sit within the tolerance of its
            /// mean). Most lines of a photo fail here, before a pass over the whole line.
            func mayBePlain(_ line: Int) -> Bool {
                var samples = SIMD16<UInt8>()
                for i in 0..<16 { samples[i] = p[line * width + i * (width - 1) / 15] }
                // The median (what sorting would put at index 8) is the sample with at most 8 below it and more
                // than 8 at or below it; counted with vector compares (a true lane is all ones: -1).
                var median = 0
                for i in 0..<16 {
                    let sample = SIMD16(repeating: samples[i])
                    let below = -unsafeBitCast(samples .< sample, to: SIMD16<Int8>.self).wrappedSum()
                    let atMost = -unsafeBitCast(samples .<= sample, to: SIMD16<Int8>.self).wrappedSum()
                    if below <= 8 && atMost > 8 { median = Int(samples[i]) }
                }
                return (0..<16).count { abs(Int(samples[$0]) - median) > 2 * tolerance } <= 2
            }
            /// From the edge line inward by `step`: the first line of the canvas (the edge line itself when there
            /// is no bar), or nil.
            func canvasStart(edge: Int, step: Int) -> Int? {
                var line = edge
                while abs(line - edge) <= Int(barShare * Double(height)) {
                    guard mayBePlain(line) else {
                        line += step
                        continue
                    }
                    let run = border(
                        p, start: line * width, lineStep: step * width, pixelStep: 1, length: width,
                        lines: 2 * (step > 0 ? height - line : line + 1))
                    let next = line + step * run
                    if run >= minRows, (0..<height).contains(next),
                        isPicture(next, colour: lineMean(p, start: line * width, pixelStep: 1, length: width))
                    {
                        return line
                    }
                    line += step * max(1, run)
                }
                return nil
            }
            return (canvasStart(edge: 0, step: 1) ?? 0, canvasStart(edge: height - 1, step: -1).map { $0 + 1 } ?? height)
        }
        guard first > 0 || end < height, end - first >= 8 else { return nil }
        let rows = end - first
        guard let inner = contentRect(gray: Array(gray[(first * width)..<(end * width)]), width: width, height: rows)
        else { return nil }
        let (x, y, w, h) = (inner.x, first + inner.y, inner.width, inner.height)
        guard Double(w * h) <= 0.9 * Double(width * height), leavesContent(w, h, of: width, height) else { return nil }
        // Each framed side: (the rectangle's own edge line, the canvas line beside it, step along them, length).
        var sides: [(edge: Int, canvas: Int, step: Int, length: Int)] = []
        if inner.y > 0 { sides.append((y * width + x, (y - 1) * width + x, 1, w)) }
        if inner.y + h < rows { sides.append(((y + h - 1) * width + x, (y + h) * width + x, 1, w)) }
        if x > 0 { sides.append((y * width + x, y * width + x - 1, width, h)) }
        if x + w < width { sides.append((y * width + x + w - 1, y * width + x + w, width, h)) }
        // Text beside the picture (an article's columns) is no picture: the canvas shows through it at the edge.
        let pictured = gray.withUnsafeBufferPointer { p in
            sides.allSatisfy { side in
                let colour = lineMean(p, start: side.canvas, pixelStep: side.step, length: side.length)
                return offColourRun(p, start: side.edge, pixelStep: side.step, length: side.length, colour: colour)
                    >= pictureRun * Double(side.length)
            }
        }
        // A side the canvas does not frame is the picture's own edge: a plain line there is a margin left
        // unexplained (a status line's, when the search missed the canvas above it).
        let plainEdge = gray.withUnsafeBufferPointer { p in
            func plain(_ start: Int, _ lineStep: Int, _ pixelStep: Int, _ length: Int) -> Bool {
                border(p, start: start, lineStep: lineStep, pixelStep: pixelStep, length: length, lines: 2) > 0
            }
            return (y == 0 && plain(0, width, 1, width)) || (y + h == height && plain((height - 1) * width, -width, 1, width))
                || (x == 0 && plain(0, 1, width, height)) || (x + w == width && plain(width - 1, -1, width, height))
        }
        guard sides.count >= 2, pictured, !plainEdge else { return nil }
        return (x, y, w, h)
    }

    /// The longest run of the `length` pixels from `start`, `pixelStep` apart, that are farther than `tolerance` from
    /// `colour`.
    private func offColourRun(
        _ p: UnsafeBufferPointer<UInt8>, start: Int, pixelStep: Int, length: Int, colour: Int
    ) -> Double {
        var run = 0, longest = 0
        for i in 0..<length {
            run = abs(Int(p[start + i * pixelStep]) - colour) > tolerance ? run + 1 : 0
            longest = max(longest, run)
        }
        return Double(longest)
    }

    /// Fewest lines a trimmed side must have: `minimumBorder` of the image's `size` on that axis, at least 2.
    private func minimumLines(_ size: Int) -> Int { max(2, Int((minimumBorder * Double(size)).rounded(.up))) }

    /// Whether a `w x h` rectangle keeps `minimumContent` of a `width x height` image on each axis, and 8 pixels.
    private func leavesContent(_ w: Int, _ h: Int, of width: Int, _ height: Int) -> Bool {
        Double(w) >= minimumContent * Double(width) && Double(h) >= minimumContent * Double(height) && w >= 8 && h >= 8
    }

    /// How `border` tells the lines of a page (see `insetRect`).
    private struct PageLines {
        /// Longest run of off-page pixels, as a share of the line.
        var maximumRun: Double
        /// Share of a plain line within tolerance of its own median: where the page colour may change.
        var plainShare: Double
    }

    /// The rounded mean of the `length` pixels from `start`, `pixelStep` apart.
    private func lineMean(_ p: UnsafeBufferPointer<UInt8>, start: Int, pixelStep: Int, length: Int) -> Int {
        var total = 0
        for i in 0..<length { total += Int(p[start + i * pixelStep]) }
        return (total + length / 2) / length
    }

    /// How many lines from one edge inward are uniform in the color of the outermost line. On a `page`, lines need
    /// only `minimumShare` within tolerance of the colour and no longer run off it, and the colour may change at a
    /// plain line (a header bar ends, the page begins).
    private func border(
        _ p: UnsafeBufferPointer<UInt8>, start: Int, lineStep: Int, pixelStep: Int, length: Int, lines: Int,
        page: PageLines? = nil
    ) -> Int {
        func median(_ base: Int) -> Int {
            var counts = [Int](repeating: 0, count: 256)
            for i in 0..<length { counts[Int(p[base + i * pixelStep])] += 1 }
            var seen = 0, value = 0
            while seen + counts[value] <= length / 2 {
                seen += counts[value]
                value += 1
            }
            return value
        }
        /// Whether a line is within tolerance of `color` for all but `outliers` pixels, in runs of at most `run`.
        func fits(_ base: Int, _ color: Int, outliers allowed: Int, run allowedRun: Int) -> Bool {
            var outliers = 0, run = 0, sum = 0
            for i in 0..<length {
                let v = Int(p[base + i * pixelStep])
                sum += v
                if abs(v - color) > tolerance {
                    outliers += 1
                    run += 1
                    if outliers > allowed || run > allowedRun { return false }
                } else {
                    run = 0
                }
            }
            // The mean must stay close too, so a slow gradient (sky) is not taken for a border.
            return page != nil || abs(sum - color * length) <= (tolerance / 2) * length
        }
        var color: Int
        if page != nil {
            // A page line may carry text: its colour is the median of the outermost line, not the mean.
            color = median(start)
        } else {
            color = lineMean(p, start: start, pixelStep: pixelStep, length: length)
        }
        let allowedOutliers = Int(Double(length) * (1 - minimumShare))
        let allowedRun = page.map { max(2, Int(Double(length) * $0.maximumRun)) } ?? length
        var count = 0
        // Stop before half the image: a border never covers the middle.
        while count < lines / 2 {
            let base = start + count * lineStep
            if !fits(base, color, outliers: allowedOutliers, run: allowedRun) {
                guard let page else { return count }
                let own = median(base)
                let plainOutliers = Int(Double(length) * (1 - page.plainShare))
                guard fits(base, own, outliers: plainOutliers, run: length) else { return count }
                color = own
            }
            count += 1
        }
        return count
    }
}
