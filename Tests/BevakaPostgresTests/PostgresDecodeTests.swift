import BevakaTestSupport
import BevakaDomain
@testable import BevakaPostgres
@testable import BevakaStore
import Foundation
import Testing

/// The shared store reads its records with the store's own reader (`StoreCodec.readRecords`)
/// and falls back to the reference, `JSONDecoder`, for any record the reader gives up on. Here
/// both read what PostgreSQL itself prints for every record the tests can write (jsonb's own
/// key order and spacing): the full record, the record with a protected person's contact
/// withheld, and the manager's planning document. Whatever the reader reads must be the
/// reference's, and it must read the ordinary records (or the fast path would silently be unused).
@Suite(.serialized) struct PostgresDecodeTests {
    @Test func theStoresReaderReadsWhatPostgreSQLPrintsAsTheReferenceDoes() throws {
        let server = PrivateServer.shared
        let url = try server.database()
        let database = PrivateServer.databaseName(url)
        let store = PostgresStore(try PostgresLocation(url, environment: [:]))
        var random = SeededRandom(seed: 37)
        var people = DemoCaseload.make(today: today).clients
        var fuzzed = Fuzz.caseload(&random, clients: 1_500).clients
        // Distinct ids and personnummer (the table's keys) for the generated people.
        let taken = Set(people.map(\.personnummer.digits))
        fuzzed = fuzzed.filter { !taken.contains($0.personnummer.digits) }
        var seen = Set<String>()
        fuzzed = fuzzed.filter { seen.insert($0.personnummer.digits).inserted }
        // jsonb refuses the NUL character (the app strips control characters before saving).
        fuzzed = fuzzed.filter { person in
            (try? PostgresStore.encode([person]).first?.contains("\\u0000")) == false
        }
        for index in fuzzed.indices { fuzzed[index].id = "c\(900_000 + index)" }
        people += fuzzed
        _ = try store.importCaseload(Caseload(clients: people), owner: "postgres")
        let stored = Int(try server.psql("SELECT count(*) FROM bevaka_clients", database: database)) ?? 0
        #expect(stored > 150)

        var read = 0, total = 0
        for column in ["doc", "bevaka_withhold_contact(doc)", "plan"] {
            let texts = try server.psql("SELECT \(column)::text FROM bevaka_clients ORDER BY ordinal", database: database)
                .split(separator: "\n").map(String.init)
            #expect(texts.count == stored)
            let fast = StoreCodec.readRecords(texts)
            for (text, client) in zip(texts, fast) {
                total += 1
                let reference = try? JSONDecoder().decode(Client.self, from: Data(text.utf8))
                guard let client else { continue }
                read += 1
                #expect(client == reference, "\(column): \(text.prefix(200))")
            }
            // Every demo person (ordinary records) is read by the reader, in every form.
            #expect(fast.prefix(DemoCaseload.make(today: today).clients.count).allSatisfy { $0 != nil }, "\(column)")
        }
        // Most records are read fast; the rest (the fuzzer's oddities) by the reference.
        #expect(read * 10 >= total * 8, "\(read) of \(total)")

        // Read in place from libpq's result (as the store reads a caseload and the manager's
        // planning) is read from strings: the same people, every column, fallbacks included.
        let connection = try PGConnection.connect(try PostgresLocation(url, environment: [:]).conninfo, timeout: .seconds(10))
        for column in ["doc", "bevaka_withhold_contact(doc)", "plan"] {
            // The column is the test's own text, not a value: written into the statement.
            let sql = SQL(unsafe: "SELECT id, \(column)::text FROM bevaka_clients ORDER BY ordinal")
            let result = try connection.queryResult(sql, deadline: .now + .seconds(30))
            let rows = try connection.query(sql, deadline: .now + .seconds(30)).decode((String, String).self)
            try PostgresStore.expect(result, columns: 2, documentColumn: 1)
            let inPlace = try PostgresStore.decode(result, column: 1, ids: rows.map(\.0), location: "test")
            let fromText = try PostgresStore.decode(rows.map { ($0.0, $0.1) }, location: "test")
            #expect(inPlace.count == stored && inPlace == fromText, "\(column)")
            #expect(result.string(0, 0) == rows.first?.0 && result.string(stored - 1, 1) == rows.last?.1)
        }
        // A result without a document in a row, or with other columns, is refused as PGRows refuses it.
        let empty = try connection.queryResult("SELECT 'c1'::text, NULL::text", deadline: .now + .seconds(10))
        #expect(throws: PGError.self) { try PostgresStore.expect(empty, columns: 2, documentColumn: 1) }
        #expect(throws: PGError.self) { try PostgresStore.expect(empty, columns: 3, documentColumn: 1) }
        #expect(empty.bytes(0, 1) == nil && empty.bytes(5, 0) == nil && empty.string(0, 0) == "c1")
        connection.close()

        // Through the store: what it loads (a list: a protected person's contact withheld) is the
        // reference's reading of each record.
        let loaded = try #require(try store.load())
        let references = try server.psql("SELECT bevaka_withhold_contact(doc)::text FROM bevaka_clients ORDER BY ordinal", database: database)
            .split(separator: "\n").map { try JSONDecoder().decode(Client.self, from: Data($0.utf8)) }
        #expect(loaded.clients.count == references.count)
        #expect(zip(loaded.clients, references).filter { $0 != $1 }.map(\.0.id) == [])
    }
}
