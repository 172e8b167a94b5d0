import Crypto
import Foundation

/// SHA-256 as lower-case hex: the audit chain's hashes and the API keys' secret hashes.
enum SHA256Hex {
    static func digest(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
