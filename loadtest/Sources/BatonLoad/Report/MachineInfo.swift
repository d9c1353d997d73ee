import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The machine the harness ran on, for the report.
public struct MachineInfo: Sendable, Codable, Equatable {
    /// Online cores (`sysconf(_SC_NPROCESSORS_ONLN)`).
    public var cores: Int
    /// The first `model name` of /proc/cpuinfo.
    public var cpuModel: String
    /// `uname -sr`.
    public var kernel: String

    /// This machine.
    public static func current() -> MachineInfo {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        var name = utsname()
        uname(&name)
        let system = withUnsafeBytes(of: &name.sysname) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return MachineInfo(cores: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), cpuModel: model, kernel: "\(system) \(release)")
    }

    enum CodingKeys: String, CodingKey {
        case cores
        case cpuModel = "cpu_model"
        case kernel
    }
}
