/// Computes pHash, dHash and PDQ from decoded pixels.
///
/// pHash and dHash reproduce imagehash 4.3.2 (`phash(hash_size=8, highfreq_factor=4)`, `dhash(8)`) on the same
/// pixels, including Pillow's `convert("L")` and Lanczos resize; PDQ reproduces Meta's reference. Fed the same
/// full-size pixels as Python, results agree to a few bits (the DCT runs in Float rather than float64).
public enum PerceptualHasher {
    /// The hashes of `image` as it is.
    public static func hashes(of image: PixelImage) -> PerceptualHashes {
        views(of: GrayPlane(image), exact: true).original
    }

    /// The hashes of `image` and of its left-right mirror, from one pass (the mirror reuses the DCTs).
    public static func hashesWithMirror(of image: PixelImage) -> (original: PerceptualHashes, mirrored: PerceptualHashes) {
        let views = views(of: GrayPlane(image), exact: true)
        return (views.original, views.mirrored)
    }

    /// imagehash's `phash` of `image` (bit order as `str(hash)`: see `PerceptualHashes.phashHex`).
    public static func phash(of image: PixelImage) -> UInt64 {
        DCTHash.phash(GrayPlane(image)).hash
    }

    /// imagehash's `dhash` of `image`.
    public static func dhash(of image: PixelImage) -> UInt64 {
        DCTHash.dhash(GrayPlane(image)).hash
    }

    /// Meta's PDQ hash and quality (0...100) of `image`.
    public static func pdq(of image: PixelImage) -> (hash: PDQHash, quality: Int) {
        let result = PDQHasher.hash(GrayPlane(image), exact: true)
        return (result.hash, result.quality)
    }

    /// The pHash DCT and median step alone, on an already resized 32x32 gray image (row-major, 1024 bytes):
    /// the same luma as imagehash gives the same bits.
    public static func phash(luma32x32: [UInt8]) -> UInt64? {
        guard luma32x32.count == 32 * 32 else { return nil }
        return DCTHash.bits(DCTHash.coefficients(luma32x32: luma32x32))
    }

    /// Pillow's `convert("L").resize((width, height), LANCZOS)` of `image`, bit for bit.
    public static func pillowGrayResize(_ image: PixelImage, width: Int, height: Int) -> [UInt8] {
        let plane = GrayPlane(image)
        return LanczosResampler.resize(plane.gray, width: plane.width, height: plane.height, outWidth: width, outHeight: height)
    }

    /// All hashes of a plane and its mirror, and, when `orientations` is set, the pHashes of five other
    /// orientations (`DCTHash.orientations(_:)`; empty otherwise). `exact` resizes as Pillow does and runs PDQ's filter literally
    /// (bit-exact with imagehash and the PDQ reference on the same luma); feature extraction uses the faster
    /// equivalents (`LanczosResampler.fastResize`, `PDQHasher.downsampleFast`).
    static func views(of plane: GrayPlane, exact: Bool = false, orientations: Bool = false)
        -> (original: PerceptualHashes, mirrored: PerceptualHashes, orientations: [UInt64])
    {
        let p = DCTHash.phash(plane, exact: exact, orientations: orientations)
        let d = DCTHash.dhash(plane, exact: exact)
        let q = PDQHasher.hash(plane, exact: exact)
        return (
            PerceptualHashes(phash: p.hash, dhash: d.hash, pdq: q.hash, pdqQuality: q.quality),
            PerceptualHashes(phash: p.mirrored, dhash: d.mirrored, pdq: q.mirrored, pdqQuality: q.quality),
            p.orientations
        )
    }
}
