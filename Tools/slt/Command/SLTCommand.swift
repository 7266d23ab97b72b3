import Foundation
import SQLLogicTest

enum SLTCommand {
    static func main(_ args: [String]) {
        var paths: [String] = []
        var root: String?
        var listFailures = false
        var maxShown = 20
        var byFolder = false
        var xfail: [String: Set<Int>] = [:]
        var i = 0
        while i < args.count {
            let a = args[i]
            switch a {
            case "--list":
                i += 1
                let listPath = args[i]
                let base = (listPath as NSString).deletingLastPathComponent
                let text = (try? String(contentsOfFile: listPath, encoding: .utf8)) ?? ""
                for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).isEmpty && !line.hasPrefix("#") {
                    paths.append((base as NSString).appendingPathComponent(line.trimmingCharacters(in: .whitespaces)))
                }
            case "--root": i += 1; root = args[i]
            case "--list-failures": listFailures = true
            case "--max-failures-shown": i += 1; maxShown = Int(args[i]) ?? 20
            case "--by-folder": byFolder = true
            case "--xfail":
                // run.py's --xfail: `path:line  # why` records known to fail where the corpus disagrees with MySQL
                i += 1
                let text = (try? String(contentsOfFile: args[i], encoding: .utf8)) ?? ""
                for entry in text.split(separator: "\n") {
                    let ref = entry.split(separator: "#", maxSplits: 1).first?.split(separator: " ").first.map(String.init) ?? ""
                    guard let colon = ref.lastIndex(of: ":"), let n = Int(ref[ref.index(after: colon)...]) else { continue }
                    xfail[String(ref[..<colon]), default: []].insert(n)
                }
            default: paths.append(a)
            }
            i += 1
        }
        let files = collectFiles(paths)
        var totalPassed = 0, totalFailed = 0, totalSkipped = 0
        var folders: [String: (Int, Int)] = [:]
        var knownFailures = 0
        var folderKnown: [String: Int] = [:]
        let start = Date()
        for file in files {
            let display = root.map { r in file.hasPrefix(r + "/") ? String(file.dropFirst(r.count + 1)) : file } ?? file
            let result = SLTRunner.run(file: file)
            totalPassed += result.passed
            totalFailed += result.failed
            totalSkipped += result.skipped
            let folder = folderOf(display)
            let f = folders[folder] ?? (0, 0)
            folders[folder] = (f.0 + result.passed, f.1 + result.passed + result.failed)
            let known = xfail.first { display == $0.key || display.hasSuffix("/" + $0.key) }?.value ?? []
            let hits = result.failedLines.filter(known.contains).count
            knownFailures += hits
            folderKnown[folder, default: 0] += hits
            print("\(display): \(result.passed)/\(result.passed + result.failed)" + (result.error.map { "  (\($0))" } ?? ""))
            if listFailures {
                for failure in result.failures.prefix(maxShown) { print("  " + failure.replacingOccurrences(of: "\n", with: "\n  ")) }
            }
            fflush(nil)
        }
        if byFolder {
            for (folder, (p, t)) in folders.sorted(by: { $0.key < $1.key }) {
                let k = folderKnown[folder] ?? 0
                print(String(format: "%@: %d/%d %.2f%%", folder, p, t, t == 0 ? 100 : Double(p) * 100 / Double(t))
                      + (k > 0 ? String(format: " (%d known MySQL-correct failures: %.2f%% with them)", k, Double(p + k) * 100 / Double(t)) : ""))
            }
        }
        print("\(totalPassed) passed, \(totalFailed) failed" + (xfail.isEmpty ? "" : " (\(knownFailures) of them in the --xfail list)"))
        print(String(format: "%d skipped, %d files, %.1f s", totalSkipped, files.count, Date().timeIntervalSince(start)))
    }

    static func folderOf(_ display: String) -> String {
        let parts = display.split(separator: "/")
        if parts.count <= 1 { return "select1-5" }
        if parts[0] == "random" || parts[0] == "index" { return parts.prefix(2).joined(separator: "/") }
        return String(parts[0])
    }

    static func collectFiles(_ paths: [String]) -> [String] {
        var out: [String] = []
        for p in paths {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue {
                let items = (FileManager.default.enumerator(atPath: p)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".test") }
                out += items.sorted { $0.localizedStandardCompare($1) == .orderedAscending }.map { p + "/" + $0 }
            } else {
                out.append(p)
            }
        }
        return out
    }
}
