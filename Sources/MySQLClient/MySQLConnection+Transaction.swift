extension MySQLConnection {
    /// Runs `body` in a transaction: COMMIT when it returns, ROLLBACK when it throws
    /// (the original error is rethrown; a failed ROLLBACK closes the connection).
    public func transaction<Result: Sendable>(
        _ body: (MySQLConnection) async throws -> Result
    ) async throws -> Result {
        try await query("START TRANSACTION")
        let result: Result
        do {
            result = try await body(self)
        } catch {
            do {
                try await query("ROLLBACK")
            } catch {
                await close()
            }
            throw error
        }
        try await query("COMMIT")
        return result
    }
}
