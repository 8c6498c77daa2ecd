import Detect

/// libFuzzer entry: one JSONL line through the splitter that every JSONL reader uses.
/// Any thrown JSONSyntaxError is a fine outcome; a crash, hang or sanitizer report is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    var splitter = JSONObjectSplitter()
    if let members = try? splitter.split(bytes) {
        // Every member's value range must lie inside the line.
        for member in members where member.value.lowerBound < 0 || member.value.upperBound > size {
            fatalError("member \(member.name) value range \(member.value) outside a \(size)-byte line")
        }
    }
    return 0
}
