import BatonLocalServers
import BatonSystem
import Foundation

/// The instructions callgrind has counted in one process running under it: each read has it dump
/// its counts (`callgrind_control --dump`, which also zeroes them) and adds up every dump so far.
/// Instruction counts do not move with the machine's load, so builds compare by them.
struct CallgrindCounter: RunningCount {
    /// The `--callgrind-out-file` the process was started with; dumps are `<file>.1`, `<file>.2`, …
    let outputFile: String
    let pid: pid_t

    /// valgrind and its options, to launch a process under callgrind writing to `outputFile`.
    static func launcher(outputFile: String) throws -> [String] {
        guard let valgrind = ChildProcess.executable(named: "valgrind") else {
            throw LocalServerError("valgrind not found on PATH: run `make deps`")
        }
        return [valgrind, "--tool=callgrind", "--callgrind-out-file=\(outputFile)", "--dump-line=no", "--compress-strings=no"]
    }

    /// A copy of `binary` without its DWARF debug info, which valgrind 3.19 cannot read (DWARF 5);
    /// symbols stay.
    static func strippedCopy(of binary: String, in directory: String) async throws -> String {
        let copy = directory + "/" + URL(fileURLWithPath: binary).lastPathComponent
        let (status, output) = try await runToCompletion("objcopy", ["--strip-debug", binary, copy])
        guard status == 0 else { throw LocalServerError("objcopy --strip-debug \(binary) failed: \(output)") }
        return copy
    }

    /// The instructions executed so far.
    func read() async throws -> UInt64 {
        let before = try dumps().count
        let (status, output) = try await runToCompletion("callgrind_control", ["--dump", String(pid)], timeout: .seconds(120))
        guard status == 0 else { throw LocalServerError("callgrind_control --dump \(pid) failed: \(output)") }
        try await poll("callgrind's dump \(before + 1) of \(pid)", timeout: .seconds(120), every: .milliseconds(50)) {
            let dumps = try dumps()
            return dumps.count > before && dumps.allSatisfy { (try? Self.totalInstructions(inDump: $0)) != nil }
        }
        return try dumps().reduce(0) { $0 + (try Self.totalInstructions(inDump: $1)) }
    }

    /// The dump files written so far.
    private func dumps() throws -> [String] {
        let directory = URL(fileURLWithPath: outputFile).deletingLastPathComponent().path
        let prefix = URL(fileURLWithPath: outputFile).lastPathComponent + "."
        return try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasPrefix(prefix) && Int($0.dropFirst(prefix.count)) != nil }
            .map { directory + "/" + $0 }
    }

    /// The `totals:` (else `summary:`) line of a callgrind dump: instructions (Ir) counted in it.
    static func totalInstructions(inDump path: String) throws -> UInt64 {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for label in ["totals: ", "summary: "] {
            if let line = text.split(separator: "\n").last(where: { $0.hasPrefix(label) }),
               let value = UInt64(line.dropFirst(label.count).split(separator: " ").first ?? "") {
                return value
            }
        }
        throw LocalServerError("no totals in callgrind dump \(path)")
    }
}
