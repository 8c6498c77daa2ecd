import Curate
import Foundation

/// libFuzzer entry: the bytes as policy YAML. A PolicyError is a fine outcome.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? PolicyLoader.parse(text, file: "fuzz.yaml")
    return 0
}
