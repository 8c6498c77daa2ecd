internal import CArchive
internal import CLZ4
internal import CSPNG
internal import CTurboJPEG
internal import CWebP
internal import CXXHash

/// Versions of the C libraries this build links, for `run.json` and bug reports.
public enum CLibraryVersions {
    public static var all: [String: String] {
        [
            "libarchive": String(cString: archive_version_string()),
            "liblz4": String(cString: LZ4_versionString()),
            "libxxhash": String(XXH_versionNumber()),
            "libwebp": String(WebPGetDecoderVersion(), radix: 16),
            "libspng": "\(SPNG_VERSION_MAJOR).\(SPNG_VERSION_MINOR).\(SPNG_VERSION_PATCH)",
            "openblas": BLAS.configuration,
            "turbojpeg": "libjpeg-turbo (TurboJPEG API 2)",
        ]
    }
}
