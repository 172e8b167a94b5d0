import NIOSSL
import PostgresNIO
import Warehouse

extension PostgresURL {
    /// The connection's TLS as its `sslmode` says (libpq's meanings): `disable` plain TCP; `allow`
    /// and `prefer` TLS when the server offers it; `require` TLS or nothing; `verify-ca` also a
    /// certificate chain to a trusted authority (`sslrootcert`, else the system's); `verify-full`
    /// also the host's name in the certificate. The first three do not check the certificate.
    func tls() throws -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable: return .disable
        case .allow, .prefer, .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        if let sslRootCert, sslMode == .verifyCA || sslMode == .verifyFull {
            configuration.trustRoots = .file(sslRootCert)
        }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw WarehouseError(code: .invalidArgument, message: "Cannot set up TLS for PostgreSQL at \(description): \(error). Check sslrootcert (\(sslRootCert ?? "none")): a PEM file of certificate authorities.")
        }
        return sslMode == .require || sslMode == .verifyCA || sslMode == .verifyFull ? .require(context) : .prefer(context)
    }
}
