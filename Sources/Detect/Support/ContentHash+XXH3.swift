import Foundation
internal import CXXHash

extension ContentHash {
    /// XXH3-128 of `data`.
    public init(of data: Data) {
        let hash = data.withUnsafeBytes { XXH3_128bits($0.baseAddress, $0.count) }
        self.init(high: hash.high64, low: hash.low64)
    }
}
