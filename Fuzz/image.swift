import Detect
import Foundation

/// libFuzzer entry: the bytes as an image file (JPEG, PNG or WebP by magic bytes), with a small pixel cap
/// so the fuzzer explores header handling rather than spending its time on big allocations.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var options = DecodeOptions()
    options.maxPixels = 16 << 20
    _ = try? ImageDecoder.decode(Data(bytes: data, count: size), options: options)
    return 0
}
