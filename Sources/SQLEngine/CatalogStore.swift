import Foundation
import PageStore

/// Persists the catalog in the PageStore tree `sql:catalog`:
///
/// | key | value |
/// |---|---|
/// | `catalog` | the whole `Catalog` as JSON (written by every DDL commit) |
/// | `ai:<table id>` | 16 bytes: next AUTO_INCREMENT value, next hidden row id (UInt64 LE each) |
///
/// Counters live apart from the JSON so an INSERT does not rewrite the catalog.
enum CatalogStore {
    static let treeName = "sql:catalog"
    static let catalogKey = Array("catalog".utf8)

    static func load(_ db: Database) throws -> Catalog {
        do {
            return try db.read { tx -> Catalog in
                guard let tree = try tx.tree(named: treeName), let data = try tree.get(catalogKey) else {
                    var fresh = Catalog()
                    fresh.collationWeights = Collation.weightsVersion
                    return fresh
                }
                var catalog = try JSONDecoder().decode(Catalog.self, from: Data(data))
                for (dbName, schema) in catalog.databases {
                    for (tableName, table) in schema.tables {
                        if let counters = try tree.get(counterKey(table.id)), counters.count == 16 {
                            catalog.databases[dbName]!.tables[tableName]!.autoIncrement = readLE(counters, 0)
                            catalog.databases[dbName]!.tables[tableName]!.nextRowID = readLE(counters, 8)
                        }
                    }
                }
                return catalog
            }
        } catch let error as SQLError {
            throw error
        } catch {
            throw SQLError.internalError("cannot load the catalog: \(error)")
        }
    }

    static func saveCatalog(_ catalog: Catalog, in tx: WriteTransaction) throws {
        let tree = try tx.openOrCreateTree(named: treeName)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try tree.put(catalogKey, Array(try encoder.encode(catalog)))
    }

    static func saveCounters(_ table: TableSchema, in tx: WriteTransaction) throws {
        let tree = try tx.openOrCreateTree(named: treeName)
        var v: [UInt8] = []
        v.reserveCapacity(16)
        appendLE(&v, table.autoIncrement)
        appendLE(&v, table.nextRowID)
        try tree.put(counterKey(table.id), v)
    }

    static func deleteCounters(_ id: UInt64, in tx: WriteTransaction) throws {
        let tree = try tx.openOrCreateTree(named: treeName)
        _ = try tree.delete(counterKey(id))
    }

    static func counterKey(_ id: UInt64) -> [UInt8] { Array("ai:\(id)".utf8) }
}

func appendLE(_ out: inout [UInt8], _ v: UInt64) {
    var x = v
    for _ in 0..<8 { out.append(UInt8(x & 0xFF)); x >>= 8 }
}

func readLE(_ b: [UInt8], _ at: Int) -> UInt64 {
    var v: UInt64 = 0
    for i in (0..<8).reversed() { v = v << 8 | UInt64(b[at + i]) }
    return v
}
