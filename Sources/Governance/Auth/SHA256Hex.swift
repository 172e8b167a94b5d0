import Crypto
import Foundation

/// SHA-256 as lower-case hex: the audit chain's hashes and the API keys' secret hashes.
enum SHA256Hex {
    static func digest(_ data: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in SHA256.hash(data: data) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
