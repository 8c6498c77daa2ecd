import Detect
import Foundation

/// libFuzzer entry: the bytes as a CSV manifest (first byte odd: TSV), read to the end through DelimitedTextReader;
/// a CSV's delimiter is told from its header line, as `curate` reads it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let tab = size > 0 && data[0] & 1 == 1
    let path = FuzzFiles.write(Data(bytes: data, count: size), suffix: tab ? ".tsv" : ".csv")
    guard var reader = try? DelimitedTextReader(path: path, delimiter: tab ? "\t" : nil) else { return 0 }
    FuzzFiles.drain(&reader, size: size)
    return 0
}
