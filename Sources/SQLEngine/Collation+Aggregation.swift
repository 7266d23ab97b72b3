/// Which collation a comparison uses when its operands' differ: MySQL's aggregation rules
/// (`DTCollation::aggregate` with comparison flags), over the coercibility `ExprType` tracks —
/// 0 explicit (COLLATE), 2 a column, 4 anything else.
///
/// - The lower coercibility wins (a COLLATE clause over a column over a literal).
/// - Character sets differ: `binary` wins over text of the same or a higher coercibility; a
///   Unicode set over latin1/ascii of the same coercibility, and any set over a literal's
///   (coercibility 3 and more) of a lower one.
/// - Same character set and coercibility: a `_bin` collation wins; otherwise — two columns, or
///   two COLLATE clauses (where even `_bin` does not win) — error 1267 (1270 for three
///   operands, 1271 for more), as MySQL's "Illegal mix of collations". Two expressions that are
///   neither compare under the set's `_bin` collation (MySQL would know the column behind a
///   function result; onebox does not, and does not guess an error).
extension ExprCompiler {
    func comparisonCollation(_ a: ExprType, _ b: ExprType, _ operation: String = "=") throws -> Collation {
        try aggregateCollation([a, b], operation: operation)
    }

    /// The collation operands of one operation compare under (the first text operand's when
    /// only one is text; utf8mb4's default when none is).
    func aggregateCollation(_ types: [ExprType], operation: String) throws -> Collation {
        if types.contains(where: { $0.kind == .binary }) { return .binary }
        let texts = types.filter { $0.kind == .text && !$0.isJSON }
        guard var result = texts.first.map(Derived.init) else { return types.first { $0.kind == .text }?.collation ?? .general }
        for t in texts.dropFirst() {
            guard let next = result.aggregate(Derived(t)) else {
                let described = texts.map { "(\($0.collation.rawValue),\(Derived($0).derivationName))" }
                switch texts.count {
                case 2:
                    throw SQLError(code: 1267, sqlState: "HY000", message: "Illegal mix of collations \(described[0]) and \(described[1]) for operation '\(operation)'")
                case 3:
                    throw SQLError(code: 1270, sqlState: "HY000", message: "Illegal mix of collations \(described.joined(separator: ", ")) for operation '\(operation)'")
                default:
                    throw SQLError(code: 1271, sqlState: "HY000", message: "Illegal mix of collations for operation '\(operation)'")
                }
            }
            result = next
        }
        return result.collation
    }
}

/// A collation with its coercibility, as MySQL aggregates them.
private struct Derived {
    var collation: Collation
    var coercibility: Int

    init(_ t: ExprType) {
        collation = t.collation
        coercibility = t.collationCoercibility
    }

    init(collation: Collation, coercibility: Int) {
        self.collation = collation
        self.coercibility = coercibility
    }

    var derivationName: String {
        switch coercibility {
        case 0: return "EXPLICIT"
        case 1: return "NONE"
        case 2: return "IMPLICIT"
        case 3: return "SYSCONST"
        default: return "COERCIBLE"
        }
    }

    private var isUnicode: Bool { collation.charset == "utf8mb4" }
    private var isBin: Bool { collation == .bin || collation == .latin1Bin || collation == .asciiBin }

    /// The pair's collation, nil where MySQL reports an illegal mix.
    func aggregate(_ other: Derived) -> Derived? {
        if collation == other.collation { return coercibility <= other.coercibility ? self : other }
        if collation.charset != other.collation.charset {
            if collation == .binary { return coercibility <= other.coercibility ? self : other }
            if other.collation == .binary { return other.coercibility <= coercibility ? other : self }
            if isSuperset(of: other) { return self }
            if other.isSuperset(of: self) { return other }
            if coercibility < other.coercibility && other.coercibility >= 3 { return self }
            if other.coercibility < coercibility && coercibility >= 3 { return other }
            return nil
        }
        if coercibility != other.coercibility { return coercibility < other.coercibility ? self : other }
        if coercibility == 0 { return nil }
        if isBin { return self }
        if other.isBin { return other }
        if coercibility == 2 { return nil }
        // neither side's origin is known well enough to call the mix illegal: the set's _bin
        return Derived(collation: collation.charset == "latin1" ? .latin1Bin : (collation.charset == "ascii" ? .asciiBin : .bin), coercibility: 1)
    }

    /// Converting `other` into this character set loses nothing (MySQL's superset rule:
    /// Unicode over the others, anything over ascii).
    private func isSuperset(of other: Derived) -> Bool {
        if isUnicode && (coercibility < other.coercibility || (coercibility == other.coercibility && !other.isUnicode)) { return true }
        if other.collation.charset == "ascii" && (coercibility < other.coercibility || (coercibility == other.coercibility && collation.charset != "ascii")) { return true }
        return false
    }
}
