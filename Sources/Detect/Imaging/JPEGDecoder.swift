internal import CTurboJPEG
import Foundation

/// JPEG decoding through the TurboJPEG 2.1 API, with DCT-domain scaling.
///
/// Gray files decode to gray, everything else to RGB (or to its luma, when `DecodeOptions.grayscale` asks); CMYK and YCCK decode as CMYK and are converted here.
/// libjpeg reports a file that ends early only as a warning (and fills the rest with gray), so any warning
/// triggers a walk over the markers: a file without EOI is `truncatedImage`. Other warnings (extraneous bytes
/// before a marker, a corrupt Huffman code followed by a proper end) are accepted as libjpeg and Pillow accept them.
/// Progressive files with an absurd number of scans (a CPU bomb: each scan re-decodes the whole image) are refused
/// through `TJFLAG_LIMITSCANS`.
enum JPEGDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws(ImageDecodeError)
        -> DecodedImage
    {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw ImageDecodeError(.emptyImage, "the file is empty")
        }
        guard let handle = tjInitDecompress() else {
            throw ImageDecodeError(.corruptImage, "TurboJPEG could not start: \(String(cString: tjGetErrorStr2(nil)))")
        }
        defer { tjDestroy(handle) }
        let size = UInt(bytes.count)

        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        // A datastream that ends before its frame header reads as "tables only": success with a 0x0 size.
        if tjDecompressHeader3(handle, base, size, &width, &height, &subsampling, &colorspace) != 0
            || width <= 0 || height <= 0
        {
            let reason = width <= 0 || height <= 0 ? "no frame header" : String(cString: tjGetErrorStr2(handle))
            if JPEGStructure(bytes, throughScans: false).ending == .truncated {
                throw ImageDecodeError(.truncatedImage, "JPEG ends inside its headers (\(reason))")
            }
            throw ImageDecodeError(.corruptImage, "JPEG header: \(reason)")
        }
        try options.checkPixelCap(width: Int(width), height: Int(height), format: .jpeg)

        let headers = JPEGStructure(bytes, throughScans: false)
        // Sequential Huffman coding spends at least 2 bits (a DC code and an end-of-block code) on every luma
        // block, so a tiny file claiming a large image is refused before its pixel buffer is allocated.
        if headers.frameMarker == 0xC0 || headers.frameMarker == 0xC1, let scan = headers.firstScanData {
            let blocks = ((Int(width) + 7) / 8) * ((Int(height) + 7) / 8)
            if (bytes.count - scan) * 4 < blocks {
                let ending = JPEGStructure(bytes, throughScans: true).ending
                throw ImageDecodeError(
                    ending == .truncated ? .truncatedImage : .corruptImage,
                    "JPEG scan data (\(bytes.count - scan) bytes) is too short for \(width)x\(height)")
            }
        }
        let orientation =
            headers.exifRange.flatMap { range in
                EXIFOrientation.parse(tiff: UnsafeRawBufferPointer(rebasing: bytes[range]))
            } ?? .identity

        let (scaledWidth, scaledHeight) = scaledSize(
            width: Int(width), height: Int(height), minimumSide: options.minimumSide)
        let pixelCount = scaledWidth * scaledHeight
        let pixelFormat: TJPF
        let samplesPerPixel: Int
        switch UInt32(bitPattern: colorspace) {
        case TJCS_GRAY.rawValue: (pixelFormat, samplesPerPixel) = (TJPF_GRAY, 1)
        case TJCS_CMYK.rawValue, TJCS_YCCK.rawValue: (pixelFormat, samplesPerPixel) = (TJPF_CMYK, 4)
        default: (pixelFormat, samplesPerPixel) = options.grayscale ? (TJPF_GRAY, 1) : (TJPF_RGB, 3)
        }

        // Gray and RGB decode straight into the final buffer; CMYK goes through one 4-byte-per-pixel buffer.
        var status: Int32 = 0
        let decoded = [UInt8](unsafeUninitializedCapacity: pixelCount * samplesPerPixel) { out, initialized in
            status = tjDecompress2(
                handle, base, size, out.baseAddress, Int32(scaledWidth), 0, Int32(scaledHeight),
                pixelFormat.rawValue, TJFLAG_LIMITSCANS)
            initialized = pixelCount * samplesPerPixel
        }
        if status != 0 {
            let reason = String(cString: tjGetErrorStr2(handle))
            let fatal = tjGetErrorCode(handle) == TJERR_FATAL.rawValue
            let ending = JPEGStructure(bytes, throughScans: true).ending
            if ending == .truncated {
                throw ImageDecodeError(.truncatedImage, "JPEG data ends before the end-of-image marker (\(reason))")
            }
            if fatal {
                throw ImageDecodeError(.corruptImage, "JPEG data: \(reason)")
            }
        }

        var pixels: PixelImage
        if samplesPerPixel == 4 {
            let rgb = decoded.withUnsafeBytes { cmyk in
                PixelConversion.rgb(cmyk: cmyk, pixelCount: pixelCount, inverted: headers.hasAdobeSegment)
            }
            pixels = PixelImage(width: scaledWidth, height: scaledHeight, channels: 3, pixels: rgb)
        } else {
            pixels = PixelImage(width: scaledWidth, height: scaledHeight, channels: samplesPerPixel, pixels: decoded)
        }
        pixels = pixels.oriented(orientation)
        let (fullWidth, fullHeight) =
            orientation.swapsDimensions
            ? (Int(height), Int(width)) : (Int(width), Int(height))
        return DecodedImage(format: .jpeg, width: fullWidth, height: fullHeight, pixels: pixels)
    }

    /// The smallest TurboJPEG scaling whose shorter side stays at least `minimumSide`.
    static func scaledSize(width: Int, height: Int, minimumSide: Int?) -> (Int, Int) {
        guard let minimumSide else { return (width, height) }
        var count: Int32 = 0
        guard let factors = tjGetScalingFactors(&count) else { return (width, height) }
        var best = (width, height)
        for factor in UnsafeBufferPointer(start: factors, count: Int(count)) where factor.num <= factor.denom {
            // TJSCALED: ceil(dimension * num / denom), as tjDecompress2 computes it.
            let w = (width * Int(factor.num) + Int(factor.denom) - 1) / Int(factor.denom)
            let h = (height * Int(factor.num) + Int(factor.denom) - 1) / Int(factor.denom)
            if min(w, h) >= minimumSide, w * h < best.0 * best.1 { best = (w, h) }
        }
        return best
    }
}
