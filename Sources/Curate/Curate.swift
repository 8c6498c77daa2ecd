import Detect

/// Curate: policies, planning per-sample actions, writers, statistics and the report.
public enum CurateInfo {
    public static let version = DetectInfo.version
}
