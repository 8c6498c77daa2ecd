import CurateTestSupport
import Detect
import Foundation

extension Fixtures {
    /// The features of a fixture image (a path under Tests/Fixtures), as a scan extracts them.
    static func features(_ path: String, options: FeatureOptions = FeatureOptions()) throws -> ImageFeatures {
        try FeatureExtractor.features(of: Data(contentsOf: url(path)), options: options)
    }
}
