extension PixelImage {
    /// The image as displayed when its stored pixels carry EXIF `orientation`; width and height swap for 5...8.
    public func oriented(_ orientation: EXIFOrientation) -> PixelImage {
        if orientation == .identity { return self }
        let w = width, h = height
        // Destination pixel (x, y) reads source pixel index origin + x*stepX + y*stepY.
        let (origin, stepX, stepY): (Int, Int, Int)
        switch orientation {
        case .identity: (origin, stepX, stepY) = (0, 1, w)
        case .flipHorizontal: (origin, stepX, stepY) = (w - 1, -1, w)
        case .rotate180: (origin, stepX, stepY) = ((h - 1) * w + w - 1, -1, -w)
        case .flipVertical: (origin, stepX, stepY) = ((h - 1) * w, 1, -w)
        case .transpose: (origin, stepX, stepY) = (0, w, 1)
        case .rotate90: (origin, stepX, stepY) = ((h - 1) * w, -w, 1)
        case .transverse: (origin, stepX, stepY) = ((h - 1) * w + w - 1, -w, -1)
        case .rotate270: (origin, stepX, stepY) = (w - 1, w, -1)
        }
        let (outWidth, outHeight) = orientation.swapsDimensions ? (h, w) : (w, h)
        let count = pixels.count
        let channels = self.channels
        let out = [UInt8](unsafeUninitializedCapacity: count) { destination, initialized in
            pixels.withUnsafeBufferPointer { source in
                guard let src = source.baseAddress, let dst = destination.baseAddress else { return }
                if channels == 1 {
                    var d = dst
                    for y in 0..<outHeight {
                        var s = origin + y * stepY
                        for _ in 0..<outWidth {
                            d.pointee = src[s]
                            d += 1
                            s += stepX
                        }
                    }
                } else {
                    var d = dst
                    for y in 0..<outHeight {
                        var s = (origin + y * stepY) * 3
                        let step = stepX * 3
                        for _ in 0..<outWidth {
                            d[0] = src[s]
                            d[1] = src[s + 1]
                            d[2] = src[s + 2]
                            d += 3
                            s += step
                        }
                    }
                }
            }
            initialized = count
        }
        return PixelImage(width: outWidth, height: outHeight, channels: channels, pixels: out)
    }
}
