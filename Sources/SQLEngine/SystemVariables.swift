import Foundation

/// System variables: their defaults, and reading/setting them (@@name, @@session.name, SET).
enum SystemVariables {
    static func text(_ s: String) -> Value { .text(Array(s.utf8)) }

    static func defaults(engine: Engine) -> [String: Value] {
        let v = engine.options.serverVersion
        return [
            "autocommit": .int(1), "auto_increment_increment": .int(1), "auto_increment_offset": .int(1),
            "character_set_client": text("utf8mb4"), "character_set_connection": text("utf8mb4"), "character_set_database": text("utf8mb4"),
            "character_set_results": text("utf8mb4"), "character_set_server": text("utf8mb4"), "character_set_system": text("utf8mb3"),
            "character_set_filesystem": text("binary"), "collation_connection": text("utf8mb4_0900_ai_ci"),
            "collation_database": text("utf8mb4_0900_ai_ci"), "collation_server": text("utf8mb4_0900_ai_ci"),
            "sql_mode": text("ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION"),
            "time_zone": text("SYSTEM"), "system_time_zone": text("UTC"), "version": text(v), "version_comment": text("onebox MySQL-compatible server"),
            "version_compile_os": text("Linux"), "version_compile_machine": text("x86_64"), "protocol_version": .int(10),
            "max_allowed_packet": .int(67_108_864), "net_buffer_length": .int(16384), "wait_timeout": .int(28800), "interactive_timeout": .int(28800),
            "net_read_timeout": .int(30), "net_write_timeout": .int(60), "connect_timeout": .int(10),
            "transaction_isolation": text("REPEATABLE-READ"), "tx_isolation": text("REPEATABLE-READ"),
            "transaction_read_only": .int(0), "tx_read_only": .int(0), "lower_case_table_names": .int(0),
            "sql_select_limit": .uint(UInt64.max), "foreign_key_checks": .int(1), "unique_checks": .int(1), "sql_auto_is_null": .int(0),
            "innodb_lock_wait_timeout": .int(Int64(engine.options.lockWaitTimeoutSeconds)), "lock_wait_timeout": .int(31_536_000),
            "license": text("GPL"), "hostname": text("localhost"), "port": .int(3306), "socket": text(""), "datadir": text(""),
            "server_id": .int(1), "init_connect": text(""), "query_cache_size": .int(0), "query_cache_type": text("OFF"),
            "performance_schema": .int(0), "have_ssl": text("YES"), "have_openssl": text("YES"), "div_precision_increment": .int(4),
            "default_storage_engine": text("InnoDB"), "storage_engine": text("InnoDB"), "default_tmp_storage_engine": text("InnoDB"),
            "max_connections": .int(1000), "max_user_connections": .int(0), "sql_safe_updates": .int(0), "explicit_defaults_for_timestamp": .int(1),
            "group_concat_max_len": .int(1024), "max_execution_time": .int(0), "sql_notes": .int(1), "sql_warnings": .int(0),
            "profiling": .int(0), "default_authentication_plugin": text(engine.options.defaultAuthPlugin), "block_encryption_mode": text("aes-128-ecb"),
            "session_track_schema": .int(1), "session_track_state_change": .int(0), "session_track_system_variables": text("time_zone,autocommit,character_set_client,character_set_results,character_set_connection"),
            "session_track_transaction_info": text("OFF"), "sql_quote_show_create": .int(1), "max_join_size": .uint(UInt64.max),
            "big_tables": .int(0), "sql_big_selects": .int(1), "sql_buffer_result": .int(0), "sql_log_bin": .int(1), "log_bin": .int(0),
            "binlog_format": text("ROW"), "gtid_mode": text("OFF"), "read_only": .int(0), "super_read_only": .int(0),
            "innodb_buffer_pool_size": .int(Int64(engine.options.pageStoreOptions.bufferPoolBytes)), "innodb_page_size": .int(Int64(engine.options.pageStoreOptions.pageSize)),
            "innodb_flush_log_at_trx_commit": .int(1), "sync_binlog": .int(1), "table_open_cache": .int(4000), "thread_cache_size": .int(9),
            "max_sp_recursion_depth": .int(0), "cte_max_recursion_depth": .int(1000), "optimizer_switch": text("index_merge=on"),
            "optimizer_search_depth": .int(62), "sort_buffer_size": .int(262_144), "join_buffer_size": .int(262_144), "tmp_table_size": .int(16_777_216),
            "max_heap_table_size": .int(16_777_216), "last_insert_id": .int(0), "identity": .int(0), "warning_count": .int(0), "error_count": .int(0),
            "timestamp": .int(0), "pseudo_thread_id": .int(0), "rand_seed1": .int(0), "rand_seed2": .int(0), "insert_id": .int(0),
            "default_week_format": .int(0), "date_format": text("%Y-%m-%d"), "datetime_format": text("%Y-%m-%d %H:%i:%s"), "time_format": text("%H:%i:%s"),
            "lc_time_names": text("en_US"), "lc_messages": text("en_US"), "max_sort_length": .int(1024), "updatable_views_with_limit": text("YES"),
            "completion_type": text("NO_CHAIN"), "old_passwords": .int(0), "require_secure_transport": .int(0), "ssl_ca": text(""), "ssl_cert": text(""),
            "tls_version": text("TLSv1.2,TLSv1.3"), "skip_name_resolve": .int(1), "event_scheduler": text("OFF"), "log_error_verbosity": .int(2),
            "information_schema_stats_expiry": .int(86400), "default_collation_for_utf8mb4": text("utf8mb4_0900_ai_ci"), "windowing_use_high_precision": .int(1),
            "max_statement_time": .int(0), "local_infile": .int(0), "secure_file_priv": .null, "have_query_cache": text("NO"), "query_cache_limit": .int(1_048_576),
            "character_sets_dir": text("/usr/share/mysql/charsets/"), "basedir": text("/usr/"), "tmpdir": text("/tmp"), "pid_file": text(""), "general_log": .int(0),
            "slow_query_log": .int(0), "long_query_time": .double(10), "open_files_limit": .int(65535), "thread_stack": .int(1_048_576),
            "transaction_alloc_block_size": .int(8192), "transaction_prealloc_size": .int(4096), "eq_range_index_dive_limit": .int(200),
            "range_optimizer_max_mem_size": .int(8_388_608), "internal_tmp_mem_storage_engine": text("TempTable"), "resultset_metadata": text("FULL"),
            "mysqlx_port": .int(33060), "admin_port": .int(33062), "binlog_row_image": text("FULL"), "enforce_gtid_consistency": text("OFF"),
            "immediate_server_version": .int(999999), "original_server_version": .int(999999), "original_commit_timestamp": .int(0),
        ]
    }

    static func sessionDefaults(engine: Engine) -> [String: Value] {
        var d = defaults(engine: engine)
        for (k, v) in engine.shared.withLock({ $0.globalVariables }) { d[k] = v }
        return d
    }

    static let readOnly: Set<String> = ["version", "version_comment", "version_compile_os", "version_compile_machine", "protocol_version",
                                        "hostname", "port", "socket", "datadir", "license", "have_ssl", "have_openssl", "lower_case_table_names",
                                        "system_time_zone", "character_set_system", "basedir", "tmpdir", "pid_file", "innodb_page_size",
                                        "warning_count", "error_count", "log_bin", "have_query_cache", "character_sets_dir"]
}

extension Engine {
    func globalVariable(_ name: String) -> Value? {
        if let v = shared.withLock({ $0.globalVariables[name] }) { return v }
        return SystemVariables.defaults(engine: self)[name]
    }
}

extension Session {
    var timeZoneOffsetSeconds: Int {
        guard case .text(let b)? = variables["time_zone"] else { return 0 }
        let s = String(decoding: b, as: UTF8.self)
        guard s.hasPrefix("+") || s.hasPrefix("-") else { return 0 }
        let parts = s.dropFirst().split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]) else { return 0 }
        return (s.hasPrefix("-") ? -1 : 1) * (h * 3600 + m * 60)
    }

    func readSystemVariable(_ name: String, scope: String?) throws -> Value {
        let key = name.lowercased()
        switch key {
        case "warning_count": return .int(Int64(warnings.filter { $0.level != "Error" }.count))
        case "error_count": return .int(Int64(warnings.filter { $0.level == "Error" }.count))
        case "last_insert_id", "identity": return .uint(lastInsertID)
        case "timestamp": return .double(Double(currentMicroseconds()) / 1e6)
        case "pseudo_thread_id": return .int(Int64(connectionID))
        default: break
        }
        if scope == "global" {
            guard let v = engine.globalVariable(key) else { throw SQLError.unknownSystemVariable(name) }
            return v
        }
        guard let v = variables[key] else { throw SQLError.unknownSystemVariable(name) }
        return v
    }

    func runSet(_ items: [SetAssignment], parameters: [Value]) throws {
        try withRead(parameters: parameters) { ctx in
            let exprs = ExprCompiler(ctx)
            for item in items {
                switch item {
                case .user(let name, let e):
                    userVariables[name.lowercased()] = try exprs.compile(e, Scope(parent: nil)).eval(Row(width: 0))
                case .names(let cs, let coll):
                    let charset = (cs ?? "utf8mb4").lowercased()
                    guard Lexer.knownCharsets.contains(charset) || charset == "default" else {
                        throw SQLError(code: 1115, sqlState: "42000", message: "Unknown character set: '\(cs ?? "")'")
                    }
                    for k in ["character_set_client", "character_set_connection", "character_set_results"] { variables[k] = SystemVariables.text(charset) }
                    variables["collation_connection"] = SystemVariables.text(coll ?? (charset == "utf8mb4" ? "utf8mb4_0900_ai_ci" : charset + "_general_ci"))
                case .characterSet(let cs):
                    let charset = (cs ?? "utf8mb4").lowercased()
                    variables["character_set_client"] = SystemVariables.text(charset)
                    variables["character_set_results"] = SystemVariables.text(charset)
                case .transaction:
                    break
                case .password(let user, let host, let password):
                    try setPassword(user: user ?? self.user, host: host ?? accountHost, password: password)
                case .system(let name, let scope, let valueExpr):
                    var key = name.lowercased()
                    if key.hasPrefix("session.") || key.hasPrefix("local.") { key = String(key.split(separator: ".", maxSplits: 1)[1]) }
                    guard variables[key] != nil || engine.globalVariable(key) != nil else {
                        // MariaDB-only variables in dumps (/*M! ... */ is skipped already); unknown ones are errors, as in MySQL
                        throw SQLError.unknownSystemVariable(name)
                    }
                    if SystemVariables.readOnly.contains(key) {
                        throw SQLError(code: 1238, sqlState: "HY000", message: "Variable '\(key)' is a read only variable")
                    }
                    var value: Value
                    if let valueExpr {
                        value = try exprs.compile(valueExpr, Scope(parent: nil)).eval(Row(width: 0))
                    } else {
                        value = SystemVariables.defaults(engine: engine)[key] ?? .null
                    }
                    value = try normalize(key, value)
                    if scope == "global" {
                        engine.shared.withLock { $0.globalVariables[key] = value }
                    } else {
                        if key == "autocommit" {
                            let on = value.truth ?? true
                            if on && !autocommit {
                                variables[key] = value
                                try commitTransaction()
                                continue
                            }
                        }
                        variables[key] = value
                        if key == "transaction_isolation" { variables["tx_isolation"] = value }
                        if key == "tx_isolation" { variables["transaction_isolation"] = value }
                    }
                }
            }
        }
    }

    /// Booleans as 0/1 (ON/OFF/TRUE/FALSE accepted); sql_mode upper-cased; checks enumerations.
    private func normalize(_ key: String, _ v: Value) throws -> Value {
        let booleans: Set<String> = ["autocommit", "foreign_key_checks", "unique_checks", "sql_auto_is_null", "sql_safe_updates", "sql_notes",
                                     "sql_warnings", "profiling", "sql_quote_show_create", "big_tables", "sql_big_selects", "sql_log_bin",
                                     "transaction_read_only", "tx_read_only", "read_only", "explicit_defaults_for_timestamp"]
        if booleans.contains(key) {
            switch v {
            case .text(let b):
                switch String(decoding: b, as: UTF8.self).uppercased() {
                case "ON", "TRUE", "1": return .int(1)
                case "OFF", "FALSE", "0": return .int(0)
                default: throw SQLError.wrongValueForVariable(key, v.textString)
                }
            case .null: throw SQLError.wrongValueForVariable(key, "NULL")
            default:
                let i = v.int64Value
                guard i == 0 || i == 1 else { throw SQLError.wrongValueForVariable(key, v.textString) }
                return .int(i)
            }
        }
        if key == "sql_mode" {
            if case .null = v { throw SQLError.wrongValueForVariable(key, "NULL") }
            let modes = v.textString.uppercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return SystemVariables.text(modes.joined(separator: ","))
        }
        if key == "transaction_isolation" || key == "tx_isolation" {
            let s = v.textString.uppercased().replacing(" ", with: "-")
            guard ["READ-UNCOMMITTED", "READ-COMMITTED", "REPEATABLE-READ", "SERIALIZABLE"].contains(s) else { throw SQLError.wrongValueForVariable(key, v.textString) }
            return SystemVariables.text(s)
        }
        if case .decimal(let d) = v { return .int(d.int64Value ?? 0) }
        return v
    }
}
