import Foundation

/// The ratios of the mixed scenario: `create=1,refresh=8,introspect=1,revoke=0.2` means that of
/// every 10.2 requests about 8 are refreshes. Weights are relative, not percentages.
public struct OperationMix: Sendable, Equatable, CustomStringConvertible {
    /// The operations that can be mixed.
    public static let operations: [Operation] = [.create, .refresh, .introspect, .revoke]
    /// The default mix.
    public static let standard = OperationMix(weights: [.create: 1, .refresh: 8, .introspect: 1, .revoke: 0.2])

    /// Relative weight of each operation (absent: 0).
    public let weights: [Operation: Double]
    private let cumulative: [(operation: Operation, upTo: Double)]

    /// A mix with the given weights; at least one must be positive.
    public init(weights: [Operation: Double]) {
        self.weights = weights
        let total = Self.operations.reduce(0) { $0 + (weights[$1] ?? 0) }
        var sum = 0.0
        var cumulative: [(Operation, Double)] = []
        for operation in Self.operations where (weights[operation] ?? 0) > 0 {
            sum += weights[operation]! / total
            cumulative.append((operation, sum))
        }
        self.cumulative = cumulative
    }

    /// Parses `name=weight` pairs separated by commas.
    public init(parsing text: String) throws {
        var weights: [Operation: Double] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let operation = Self.operations.first(where: { $0.description == parts[0] }) else {
                throw LoadError.usage("--mix: '\(pair)' is not one of create=, refresh=, introspect=, revoke= with a weight")
            }
            guard let weight = Double(parts[1]), weight >= 0, weight.isFinite else {
                throw LoadError.usage("--mix: the weight of \(parts[0]) must be a number ≥ 0")
            }
            weights[operation] = weight
        }
        guard weights.values.contains(where: { $0 > 0 }) else {
            throw LoadError.usage("--mix: at least one weight must be positive")
        }
        self.init(weights: weights)
    }

    /// The operation for a uniform `unit` in `0..<1`.
    public func pick(_ unit: Double) -> Operation {
        cumulative.first { unit < $0.upTo }?.operation ?? cumulative[cumulative.count - 1].operation
    }

    /// `create=1,refresh=8,...`, in a fixed order.
    public var description: String {
        Self.operations.compactMap { operation in
            weights[operation].map { "\(operation)=\($0.formatted())" }
        }.joined(separator: ",")
    }

    /// Mixes are equal when their weights are.
    public static func == (lhs: OperationMix, rhs: OperationMix) -> Bool { lhs.weights == rhs.weights }
}

extension Double {
    /// Without a trailing `.0` for whole numbers.
    fileprivate func formatted() -> String {
        self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self)
    }
}
