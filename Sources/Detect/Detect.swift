/// Detect: reading inputs, image and caption features, the index, near-duplicate clustering and trigger mining.
///
/// Detect never imports Curate: it finds and measures; Curate decides and writes.
public enum DetectInfo {
    /// The tool version written into `run.json` and the index.
    public static let version = "0.1.0"
}
