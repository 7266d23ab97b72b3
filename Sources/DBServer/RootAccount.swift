import Foundation
import Logging
import OneboxCore
import SQLEngine

/// The root accounts of a new database (DESIGN.md's command-line contract): the
/// password is `ONEBOX_ROOT_PASSWORD` when set, otherwise generated, written to
/// `<state-dir>/secrets/root-password` (mode 0600) and printed once on stderr.
enum RootAccount {
    static func bootstrap(engine: Engine, secretsDirectory: String, givenPassword: String?, logger: Logger) throws {
        let path = secretsDirectory + "/root-password"
        if let givenPassword, !givenPassword.isEmpty {
            if try engine.bootstrapIfEmpty(rootPassword: givenPassword) {
                logger.notice("created root@'%' and root@localhost with the password from ONEBOX_ROOT_PASSWORD")
            }
            return
        }
        // Written before the accounts exist, so a crash in between never leaves an
        // account whose password nobody knows; removed again if the database was not new.
        let alreadySaved = FileManager.default.fileExists(atPath: path)
        let password: String
        if alreadySaved, let saved = try? String(contentsOfFile: path, encoding: .utf8) {
            password = saved.trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            password = makePassword()
            do {
                try PrivateFile.write(password + "\n", to: path)
            } catch {
                throw DBServerError.secretUnusable(path: path, reason: "cannot save the generated root password: \(error)")
            }
        }
        let created = try engine.bootstrapIfEmpty(rootPassword: password)
        if created {
            StandardStreams.writeError("onebox db: created root@'%' and root@localhost; root password: \(password) (saved in \(path))\n")
        } else if !alreadySaved {
            _ = unlink(path)
        }
    }

    /// 24 characters from an alphabet without look-alikes (about 140 bits).
    static func makePassword() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<24).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
