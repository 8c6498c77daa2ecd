import CurateTestSupport
import Detect
import Foundation

extension Fixtures {
    /// The features of a fixture image (a path under Tests/Fixtures), as a scan extracts them.
    static func features(_ path: String, options: FeatureOptions = FeatureOptions()) throws -> ImageFeatures {
        try FeatureExtractor.features(of: Data(contentsOf: url(path)), options: options)
    }

    /// The features of a fixture image with the default options changed by `change` (one view turned off).
    static func features(_ path: String, with change: (inout FeatureOptions) -> Void) throws -> ImageFeatures {
        var options = FeatureOptions()
        change(&options)
        return try features(path, options: options)
    }
}
