import BevakaDomain
import BevakaPostgres
import BevakaProcess
import BevakaStore
import Foundation

/// `--loggens-vikt [RADER_PER_DAG]`: what five years of a unit's access log weigh, and what the
/// monthly loggkontroll costs on it (issue 37, item 7). A private server, a unit of 30
/// handläggare with a usual 150 people each and a manager, and five years of working days of log
/// (by default 300 rows a handläggare and day: 50 openings, 100 changes, 150 listed — a working
/// day's, not the load bench's pace), written straight into the table as the superuser (the
/// chain's trigger off: the rows are for weighing and reading, not for `db verifiera-logg`). Then
/// it prints the rows and megabytes, and times `bevaka db loggkontroll` for the last full month.
struct LogWeight {
    var rowsPerDay: Int
    var binary: String

    func run(script: String) {
        let today = UnitBench.realToday()
        let started = capture([script, "start"])
        guard started.status == 0, let url = started.output.split(separator: "\n").last,
              let range = url.range(of: "host=") else {
            print("Ingen privat PostgreSQL-server kunde startas (apt-get install -y postgresql).")
            return
        }
        let folder = String(url[range.upperBound...])
        defer { _ = capture([script, "stop", folder]) }
        func psql(_ sql: String) -> String? { superuserPSQL(folder, sql, database: "enhet") }
        guard superuserPSQL(folder, "CREATE DATABASE enhet", database: "bevaka") != nil else { return }
        let handlaggare = 30, perPerson = 150
        do {
            let admin = PostgresStore(try PostgresLocation("postgresql://postgres@/enhet?host=\(folder)", environment: [:]))
            _ = try admin.initialise()
            try admin.prepareForWriting()
            _ = try admin.addUser("chef", kind: .chef, name: "Enhetschefen")
            let everyone = DemoCaseload.large(handlaggare * perPerson, today: today).clients
            for index in 0..<handlaggare {
                _ = try admin.addUser(UnitBench.role(index), kind: .handlaggare, name: "Handläggare \(index + 1)")
                _ = try admin.importCaseload(Caseload(clients: Array(everyone.dropFirst(index * perPerson).prefix(perPerson))),
                                             owner: UnitBench.role(index))
            }
            admin.shutDown()
        } catch {
            print("Enheten kunde inte byggas: \((error as? StoreError)?.message ?? "\(error)")")
            return
        }
        // Five years of working days (five in seven calendar days), each handläggare's rows
        // between 08 and 16, the last of them yesterday.
        let days = 5 * 250
        let total = days * handlaggare * rowsPerDay
        let first = today.adding(days: -(days * 7 / 5) - 1)
        let began = Date()
        let filled = psql("""
            SET session_replication_role = replica;
            INSERT INTO bevaka_access_log (at, who, client_id, action, detail)
            SELECT (DATE '\(first)' + ((g / (\(handlaggare * rowsPerDay))) * 7 / 5)::int)::timestamptz + interval '8 hours'
                       + ((g % \(rowsPerDay)) * interval '8 hours' / \(rowsPerDay)),
                   'h' || lpad(((g / \(rowsPerDay)) % \(handlaggare) + 1)::text, 2, '0'),
                   ids[(((g / \(rowsPerDay)) % \(handlaggare)) * \(perPerson) + (g * 7919) % \(perPerson) + 1)::int],
                   CASE g % 6 WHEN 0 THEN 'opened' WHEN 1 THEN 'changed' WHEN 2 THEN 'changed' ELSE 'listed' END,
                   CASE g % 6 WHEN 0 THEN 'ärende' ELSE 'ärendelistan' END
            FROM generate_series(0::bigint, \(total - 1)) g,
                 (SELECT array_agg(id ORDER BY owner, ordinal) AS ids FROM bevaka_clients) people;
            ANALYZE bevaka_access_log;
            """)
        guard filled != nil else {
            print("Loggen kunde inte fyllas.")
            return
        }
        let rows = Int(psql("SELECT count(*) FROM bevaka_access_log") ?? "") ?? 0
        let bytes = Double(psql("SELECT pg_total_relation_size('bevaka_access_log')") ?? "") ?? 0
        let table = Double(psql("SELECT pg_relation_size('bevaka_access_log')") ?? "") ?? 0
        print(String(format: "Åtkomstloggen, fem år av en enhet med %d handläggare à %d personer, %d rader per handläggare och arbetsdag:",
                     handlaggare, perPerson, rowsPerDay))
        print(String(format: "  %d rader (skrivna på %.0f s), %.0f MB med index (tabellen %.0f MB), %.0f byte per rad",
                     rows, Date().timeIntervalSince(began), bytes / 1e6, table / 1e6, bytes / Double(max(1, rows))))
        // The last full month, reviewed as the manager does it.
        let month = Day(year: today.year, month: today.month, day: 1)?.adding(months: -1) ?? today
        let period = String(month.description.prefix(7))
        let chef = "postgresql://chef@/enhet?host=\(folder)"
        var times: [Double] = []
        for _ in 0..<3 {
            let run = spawnTimed(binary, ["db", "loggkontroll", "--store", chef, "--period", period])
            if run.status == 0 { times.append(run.ms) } else { print("  db loggkontroll misslyckades (\(run.status))") }
        }
        let shown = capture([binary, "db", "loggkontroll", "--store", chef, "--period", period])
        let openings = psql("""
            SELECT count(*) FROM bevaka_access_log WHERE action = 'opened'
              AND at >= DATE '\(month)' AND at < DATE '\(month)' + interval '1 month'
            """) ?? "?"
        print("  db loggkontroll --period \(period) (\(openings) öppningar den månaden): "
              + times.map { String(format: "%.0f ms", $0) }.joined(separator: ", "))
        print("  " + (shown.output.split(separator: "\n").first.map(String.init) ?? "(inget svar: \(shown.status))"))
    }
}
