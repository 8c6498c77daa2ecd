import Foundation

/// A compact fixed-layout binary form of `ImageFeatures`, as stored in the index (little-endian).
extension ImageFeatures {
    /// Bumped whenever the layout or any hash definition changes, so stale cached features are recomputed.
    public static let encodingVersion = 15

    /// The binary form.
    public var binary: Data {
        var bytes: [UInt8] = []
        write(into: &bytes)
        return Data(bytes)
    }

    /// Appends the binary form to `bytes` (a scan keeps a million of them: building each as `Data`, field by
    /// field, cost 10 s of a 1M-row audit).
    func write(into bytes: inout [UInt8]) {
        bytes.put(contentHash.high)
        bytes.put(contentHash.low)
        bytes.put(UInt64(byteCount))
        bytes.put(format.code)
        bytes.put(UInt32(width))
        bytes.put(UInt32(height))
        bytes.put(hashes)
        bytes.put(mirrored)
        // 0: no border; 1: the trimmed view; 2: it and its mirror.
        bytes.put(UInt8(trimmed == nil ? 0 : trimmedMirrored == nil ? 1 : 2))
        if let trimmed {
            bytes.put(trimmed)
            bytes.put(UInt32(clamping: trimmedSize?.width ?? width))
            bytes.put(UInt32(clamping: trimmedSize?.height ?? height))
        }
        if trimmed != nil, let trimmedMirrored { bytes.put(trimmedMirrored) }
        bytes.put(UInt8(centered == nil ? 0 : 1))
        if let centered { bytes.put(centered) }
        for codes in [cropPHashes, rotatedPHashes, orientedPHashes] {
            bytes.put(UInt8(clamping: codes.count))
            for code in codes.prefix(255) { bytes.put(code) }
        }
        bytes.put(UInt8(insetPHash == nil ? 0 : 1))
        if let insetPHash {
            bytes.put(insetPHash)
            bytes.put(insetPercent)
        }
    }

    /// Reads the binary form; nil when the bytes do not hold one.
    public init?(binary: Data) {
        guard let features = binary.withUnsafeBytes({ ImageFeatures(reading: $0) }) else { return nil }
        self = features
    }

    /// Reads the binary form from raw bytes (a warm scan reads one per distinct image: through `Data`'s generic
    /// copy each field cost a metadata lookup, 15% of a warm audit's CPU).
    init?(reading bytes: UnsafeRawBufferPointer) {
        var reader = BinaryReader(bytes)
        guard let high = reader.u64(), let low = reader.u64(), let bytes = reader.u64(), let formatCode = reader.u8(),
            let width = reader.u32(), let height = reader.u32(), let hashes = reader.hashes(),
            let mirrored = reader.hashes(), let hasTrim = reader.u8()
        else { return nil }
        guard hasTrim <= 2 else { return nil }
        let trimmed = hasTrim >= 1 ? reader.hashes() : nil
        let trimmedWidth = hasTrim >= 1 ? reader.u32() : nil, trimmedHeight = hasTrim >= 1 ? reader.u32() : nil
        if hasTrim >= 1, trimmed == nil || trimmedWidth == nil || trimmedHeight == nil { return nil }
        let trimmedMirrored = hasTrim == 2 ? reader.hashes() : nil
        if hasTrim == 2, trimmedMirrored == nil { return nil }
        guard let hasCenter = reader.u8() else { return nil }
        let centered = hasCenter == 1 ? reader.hashes() : nil
        if hasCenter == 1, centered == nil { return nil }
        guard let crops = reader.codes(), let rotations = reader.codes(), let orientations = reader.codes(),
            let hasInset = reader.u8(), hasInset <= 1 else {
            return nil
        }
        let inset = hasInset == 1 ? reader.u64() : nil
        let insetPercent = hasInset == 1 ? reader.u8() : nil
        if hasInset == 1, inset == nil || insetPercent == nil { return nil }
        self.init(
            contentHash: ContentHash(high: high, low: low), byteCount: Int(bytes),
            format: ImageFormat(code: formatCode),
            width: Int(width), height: Int(height), hashes: hashes, mirrored: mirrored, trimmed: trimmed,
            trimmedMirrored: trimmedMirrored, centered: centered,
            cropPHashes: crops, rotatedPHashes: rotations, orientedPHashes: orientations, insetPHash: inset,
            insetShare: insetPercent.map { Double($0) / 100 },
            trimmedSize: trimmedWidth.flatMap { w in trimmedHeight.map { (Int(w), Int($0)) } })
    }
}

/// The binary form's writes, appended to the bytes in place.
private extension [UInt8] {
    mutating func put<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    mutating func put(_ hashes: PerceptualHashes) {
        put(hashes.phash)
        put(hashes.dhash)
        put(hashes.pdq.words.0)
        put(hashes.pdq.words.1)
        put(hashes.pdq.words.2)
        put(hashes.pdq.words.3)
        put(UInt8(clamping: hashes.pdqQuality))
    }
}

private struct BinaryReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    mutating func read<T: FixedWidthInteger>(_ type: T.Type) -> T? {
        let size = MemoryLayout<T>.size
        guard offset + size <= bytes.count else { return nil }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: value)
    }

    mutating func u64() -> UInt64? { read(UInt64.self) }
    mutating func u32() -> UInt32? { read(UInt32.self) }
    mutating func u8() -> UInt8? { read(UInt8.self) }

    /// A count byte and that many 64-bit codes.
    mutating func codes() -> [UInt64]? {
        guard let count = u8() else { return nil }
        var codes: [UInt64] = []
        codes.reserveCapacity(Int(count)) // a million images: appending alone would leave half-empty buffers
        for _ in 0..<Int(count) {
            guard let code = u64() else { return nil }
            codes.append(code)
        }
        return codes
    }

    mutating func hashes() -> PerceptualHashes? {
        guard let phash = u64(), let dhash = u64(), let w0 = u64(), let w1 = u64(), let w2 = u64(), let w3 = u64(),
            let quality = u8()
        else { return nil }
        return PerceptualHashes(phash: phash, dhash: dhash, pdq: PDQHash(w0, w1, w2, w3), pdqQuality: Int(quality))
    }
}
