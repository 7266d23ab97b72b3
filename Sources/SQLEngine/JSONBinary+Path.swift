/// JSON paths evaluated on the binary form: members by binary search over the sorted keys,
/// array cells by their entry, so a lookup touches only the containers on its way.
extension JSONPath {
    /// Every value the path reaches, in document order (as `matches(in:)` on a tree).
    func matches(in node: JSONNode) throws -> [JSONNode] {
        if !hasWildcard { return try first(in: node).map { [$0] } ?? [] }
        var current = [node]
        for leg in legs {
            var next: [JSONNode] = []
            for value in current { try JSONPath.step(leg, value, into: &next, depth: 1) }
            current = next
        }
        return current
    }

    /// The value a wildcard-free path reaches, if any.
    func first(in node: JSONNode) throws -> JSONNode? {
        var value = node
        for leg in legs {
            switch leg {
            case .member(let key):
                guard value.isObject, let child = try value.member(Array(key.utf8)) else { return nil }
                value = child
            case .index(let n, let fromLast):
                if value.isArray {
                    let count = try value.count()
                    let i = fromLast ? count - 1 - n : n
                    guard i >= 0 && i < count else { return nil }
                    value = try value.element(i)
                } else if n != 0 {
                    return nil   // a non-array is its own [0] (and [last])
                }
            default:
                preconditionFailure("JSONPath.first: a wildcard leg")
            }
        }
        return value
    }

    private static func step(_ leg: Leg, _ value: JSONNode, into out: inout [JSONNode], depth: Int) throws {
        switch leg {
        case .member(let key):
            if value.isObject, let child = try value.member(Array(key.utf8)) { out.append(child) }
        case .anyMember:
            guard value.isObject else { return }
            let n = try value.count()
            for i in 0..<n { out.append(try value.memberValue(i, count: n)) }
        case .index(let n, let fromLast):
            if value.isArray {
                let count = try value.count()
                let i = fromLast ? count - 1 - n : n
                if i >= 0 && i < count { out.append(try value.element(i)) }
            } else if n == 0 {
                out.append(value)
            }
        case .anyIndex:
            guard value.isArray else { return }
            for i in 0..<(try value.count()) { out.append(try value.element(i)) }
        case .anyDepth:
            guard depth <= JSONDocument.maxDepth + 1 else { throw JSONBinary.corrupt() }
            out.append(value)
            if value.isArray {
                for i in 0..<(try value.count()) { try step(.anyDepth, try value.element(i), into: &out, depth: depth + 1) }
            } else if value.isObject {
                let n = try value.count()
                for i in 0..<n { try step(.anyDepth, try value.memberValue(i, count: n), into: &out, depth: depth + 1) }
            }
        }
    }
}
