import BevakaDomain
import BevakaStore
import Foundation

extension PostgresStore {
    /// What `bevaka db import-store` did.
    public struct ImportReport: Equatable, Sendable {
        public var added = 0
        public var unchanged = 0
        /// People whose personnummer the database already holds with other content: never
        /// duplicated, never overwritten; the id of the row that has them.
        public var alreadyThere: [(fileID: String, databaseID: String)] = []
        /// People given a new id because theirs was taken by someone else (files number alike).
        public var renumbered = 0

        public static func == (a: ImportReport, b: ImportReport) -> Bool {
            a.added == b.added && a.unchanged == b.unchanged && a.renumbered == b.renumbered
                && a.alreadyThere.map(\.fileID) == b.alreadyThere.map(\.fileID)
                && a.alreadyThere.map(\.databaseID) == b.alreadyThere.map(\.databaseID)
        }

        public init() {}
    }

    /// Moves a handläggare's file caseload into the database, assigned to `owner` (a database
    /// role). In one transaction; running it twice changes nothing; a personnummer already in
    /// the database is reported, never duplicated.
    public func importCaseload(_ caseload: Caseload, owner: String) throws(StoreError) -> ImportReport {
        let client = try connectedForAdmin()
        let location = self.location
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // A whole caseload in one transaction: minutes for a large one, not seconds.
        return try wait(what: "flytta in ärendena", limit: .seconds(1800)) { () throws -> ImportReport in
            try client.transaction { connection in
                let roles = try connection.query("SELECT count(*) FROM pg_roles WHERE rolname = \(owner)")
                var found = 0
                for count in try roles.decode(Int.self) { found = count }
                guard found == 1 else {
                    throw StoreError.server(location: location, reason: "rollen \(owner) finns inte; skapa den först med bevaka db user add \(owner) --role handlaggare")
                }
                // New ids, where a file's id is taken, come from a block of this import's own.
                let blocks = try connection.query("SELECT nextval('bevaka_id_blocks')")
                var next = 0
                for start in try blocks.decode(Int.self) { next = start }
                var report = ImportReport()
                for person in caseload.clients {
                    let existing = try connection.query(
                        "SELECT id, doc::text FROM bevaka_clients WHERE pnr = \(person.personnummer.digits)")
                    var row: (String, String)?
                    for value in try existing.decode((String, String).self) { row = value }
                    if let (id, text) = row {
                        var same = person
                        same.id = id
                        let stored = try? JSONDecoder().decode(Client.self, from: Data(text.utf8))
                        if stored == same {
                            report.unchanged += 1
                        } else {
                            report.alreadyThere.append((person.id, id))
                        }
                        continue
                    }
                    var incoming = person
                    let taken = try connection.query("SELECT count(*) FROM bevaka_clients WHERE id = \(person.id)")
                    var count = 0
                    for value in try taken.decode(Int.self) { count = value }
                    if count > 0 {
                        incoming.id = "c\(next)"
                        next += 1
                        report.renumbered += 1
                    }
                    let doc = String(decoding: try encoder.encode(incoming), as: UTF8.self)
                    try connection.query("""
                        INSERT INTO bevaka_clients (id, pnr, doc, owner)
                        VALUES (\(incoming.id), \(incoming.personnummer.digits), \(doc)::jsonb, \(owner))
                        """)
                    report.added += 1
                }
                return report
            }
        }
    }

}
