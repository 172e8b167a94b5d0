import Foundation
import PostgresWarehouse
import Testing
import Warehouse

@Suite("PostgreSQL URLs")
struct PostgresURLTests {
    @Test("A URL gives user, password, host, port and database; its description has no password")
    func parses() throws {
        let url = try PostgresURL(parsing: "postgresql://analyst:s3cr%40t@db.internal:6543/warehouse", environment: [:])
        #expect(url.user == "analyst")
        #expect(url.password == "s3cr@t")
        #expect(url.host == "db.internal")
        #expect(url.port == 6543)
        #expect(url.database == "warehouse")
        #expect(url.description == "postgresql://analyst@db.internal:6543/warehouse")
        #expect(!url.description.contains("s3cr"))
    }

    @Test("sslmode and sslrootcert from the URL, else PGSSLMODE / PGSSLROOTCERT, else prefer; anything else is refused")
    func sslMode() throws {
        #expect(try PostgresURL(parsing: "postgresql://a@h/d", environment: [:]).sslMode == .prefer)
        let verified = try PostgresURL(parsing: "postgresql://a:pw@h/d?sslmode=verify-full&sslrootcert=/etc/ca.pem", environment: [:])
        #expect(verified.sslMode == .verifyFull && verified.sslRootCert == "/etc/ca.pem")
        #expect(verified.description == "postgresql://a@h:5432/d?sslmode=verify-full")
        let fromEnvironment = try PostgresURL(parsing: "postgresql://a@h/d", environment: ["PGSSLMODE": "require", "PGSSLROOTCERT": "/ca"])
        #expect(fromEnvironment.sslMode == .require && fromEnvironment.sslRootCert == "/ca")
        #expect(try PostgresURL(parsing: "postgresql://a@h/d?sslmode=disable", environment: ["PGSSLMODE": "require"]).sslMode == .disable)
        #expect(throws: WarehouseError.self) { _ = try PostgresURL(parsing: "postgresql://a@h/d?sslmode=maybe", environment: [:]) }
        #expect(throws: WarehouseError.self) { _ = try PostgresURL(parsing: "postgresql://a:pw@h/d?connect_timeout=3", environment: [:]) }
    }

    @Test("Defaults: port 5432, the user and password from PGUSER / PGPASSWORD, postgres:// accepted")
    func defaults() throws {
        let url = try PostgresURL(parsing: "postgres://localhost/readout", environment: ["PGUSER": "ops", "PGPASSWORD": "pw"])
        #expect(url.port == 5432)
        #expect(url.user == "ops")
        #expect(url.password == "pw")
        #expect(PostgresURL.isPostgres("POSTGRESQL://x/y"))
        #expect(!PostgresURL.isPostgres("./readout.db"))
    }

    @Test("A bad URL is refused with what is missing and an example, and never echoes the password", arguments: [
        ("postgresql://user:hunter2@/db", "names no host"),
        ("postgresql://user:hunter2@host:5432", "names no database"),
        ("postgresql://user:hunter2@host:5432/a/b", "names no database"),
        ("mysql://user:hunter2@host/db", "is not a PostgreSQL URL"),
    ])
    func refuses(text: String, problem: String) {
        #expect {
            _ = try PostgresURL(parsing: text, environment: [:])
        } throws: { error in
            let message = "\(error)"
            return message.contains(problem) && message.contains("postgresql://readout@127.0.0.1:5432/warehouse") && !message.contains("hunter2")
        }
    }
}
