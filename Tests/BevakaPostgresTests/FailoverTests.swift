import BevakaTestSupport
import BevakaDomain
@testable import BevakaPostgres
import BevakaStore
import Foundation
import Testing

/// A primary and a streaming standby (two private servers, `pg_basebackup -R`), and a store
/// whose connection string names both with `target_session_attrs=read-write`, as a unit on a
/// Patroni-style pair would have it. The primary is stopped at once, the standby promoted: the
/// open store saves its next change to the new primary, hears NOTIFY from it, and says once
/// that it moved.
@Suite(.serialized) struct FailoverTests {
    /// Waits for `condition` at most `seconds`, checking every tenth of a second.
    func eventually(_ seconds: Double, _ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if (try? condition()) == true { return }
            usleep(100_000)
        }
        Issue.record("waited \(seconds) s for: \(what)")
        throw PrivateServer.ServerFailure(message: "timed out: \(what)")
    }

    @Test func anOpenStoreFollowsThePrimaryToThePromotedStandby() throws {
        let began = Date()
        func mark(_ what: String) { print("failover: \(what) at \(String(format: "%.1f", Date().timeIntervalSince(began))) s") }
        let primary = PrivateServer(command: "start")
        if let failure = primary.failure { throw PrivateServer.ServerFailure(message: failure) }
        defer { try? primary.script("stop") }
        let single = try primary.database()
        guard let start = single.range(of: "@/"), let end = single.range(of: "?") else { throw PrivateServer.ServerFailure(message: single) }
        let name = String(single[start.upperBound..<end.lowerBound])
        let standby = PrivateServer(command: "start-standby", arguments: [primary.folder])
        if let failure = standby.failure { throw PrivateServer.ServerFailure(message: failure) }
        defer { try? standby.script("stop") }
        #expect(try standby.psql("SELECT pg_is_in_recovery()", database: name) == "t")

        let both = "postgresql://postgres@/\(name)?host=\(primary.folder),\(standby.folder)&target_session_attrs=read-write"
        let (store, loaded) = try openStore(both)
        var caseload = loaded
        var person = DemoCaseload.make(today: today).clients[0]
        person.id = caseload.makeID("c")
        caseload.clients.append(person)
        _ = try store.saveChanges(caseload)
        #expect(try primary.psql("SELECT count(*) FROM bevaka_clients WHERE id = '\(person.id)'", database: name) == "1")
        #expect(store.takeNotice() == nil)
        // The standby has replayed it before the primary goes.
        try eventually(20, "the standby to replay the first save") {
            try standby.psql("SELECT count(*) FROM bevaka_clients WHERE id = '\(person.id)'", database: name) == "1"
        }

        mark("replayed")
        try primary.script("crash")
        try standby.script("promote")
        #expect(try standby.psql("SELECT pg_is_in_recovery()", database: name) == "f")
        mark("promoted")

        // The next change: the first try may meet the dead connection (the app's saver retries
        // every few seconds); then it lands on the new primary, nothing lost.
        caseload.clients[caseload.clients.count - 1].notes = "Efter bytet av server"
        var failures: [String] = []
        try eventually(30, "a save to the promoted standby") {
            do throws(StoreError) {
                _ = try store.saveChanges(caseload)
                return true
            } catch {
                failures.append(error.message)
                return false
            }
        }
        mark("saved to the new primary after \(failures.count) failed tries")
        #expect(try standby.psql("SELECT doc->>'notes' FROM bevaka_clients WHERE id = '\(person.id)'", database: name)
                == "Efter bytet av server")
        #expect(failures.allSatisfy { !$0.contains(person.personnummer.digits) })
        let notice = store.takeNotice()
        #expect(notice?.contains(standby.folder) == true, "\(notice ?? "no notice")")
        #expect(store.takeNotice() == nil)

        // NOTIFY from the new primary: the listener connects to it again by itself.
        try eventually(30, "the listener to LISTEN on the new primary") {
            try standby.psql("SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN bevaka_clients'", database: name) == "1"
        }
        mark("listening again")
        _ = try store.changesElsewhere(local: caseload)  // what the reconnection asked for (compare all)
        let colleague = PostgresStore(try PostgresLocation(both, environment: [:]))
        try colleague.prepareForWriting()
        var theirs = try colleague.load() ?? Caseload()
        let index = try #require(theirs.clients.firstIndex { $0.id == person.id })
        theirs.clients[index].notes = "Ändrat av en kollega"
        _ = try colleague.saveChanges(theirs)
        var heard: [ChangedElsewhere] = []
        try eventually(20, "the change to be heard through NOTIFY") {
            heard += try store.changesElsewhere(local: caseload)
            return heard.contains { $0.client.notes == "Ändrat av en kollega" }
        }
        mark("heard")
    }
}
