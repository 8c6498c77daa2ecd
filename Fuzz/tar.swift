import Detect
import Foundation

/// libFuzzer entry: the bytes as a webdataset shard, every sample and problem read out.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let path = FuzzFiles.write(Data(bytes: data, count: size), suffix: ".tar")
    guard var reader = try? WebDatasetReader(path: path, maxImageBytes: 1 << 20, maxTextBytes: 1 << 16) else {
        return 0
    }
    FuzzFiles.drain(&reader, size: size)
    return 0
}
