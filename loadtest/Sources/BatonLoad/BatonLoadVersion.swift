/// The harness's version, as reported in every JSON report.
public enum BatonLoadVersion {
    /// The current version.
    public static let current = "0.1.0"
}
