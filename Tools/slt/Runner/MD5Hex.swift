import Foundation
import SQLEngine

/// MD5 hex of bytes (the runner's result hashes), via the engine's MD5() function.
enum MD5Hex {
    static func digest(_ bytes: [UInt8]) -> String {
        let (engineless) = SQLEngineMD5.hex(bytes)
        return engineless
    }
}
