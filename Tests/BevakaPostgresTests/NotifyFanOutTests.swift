import BevakaTestSupport
import BevakaDomain
@testable import BevakaPostgres
import BevakaStore
import Foundation
import Testing

/// Migration 14: a write is announced as "ID OWNER", and a session fetches only the people it
/// holds or whose handläggare it may see. Before, every session fetched every person anyone in
/// the unit saved (a logged read each, nothing returned): at 30 handläggare that was 30,068 read
/// requests in three minutes and a full server (bevaka-bench --enhet).
@Suite(.serialized) struct NotifyFanOutTests {
    /// Waits until `store` has heard of `id` (announcements arrive in commit order, so everything
    /// committed before it has been heard, or passed over, by then).
    func waitUntilHeard(_ store: PostgresStore, _ id: String) throws {
        let deadline = Date().addingTimeInterval(20)
        while !store.heardIDs.contains(id) {
            guard Date() < deadline else { throw PrivateServer.ServerFailure(message: "never heard of \(id)") }
            usleep(20_000)
        }
    }

    @Test func aColleaguesPersonIsNotFetchedUnlessCoveredOrHeld() throws {
        let unit = try UnitFixture()
        let (anna, annas) = try openStore(unit.url(unit.a))
        let (annaElsewhere, annasThere) = try openStore(unit.url(unit.a))
        let (bo, bos) = try openStore(unit.url(unit.b))

        // Bo saves his person, then Anna (in another window) saves hers.
        var changed = bos
        changed.clients[0].notes = "Bos anteckning"
        _ = try bo.saveChanges(changed)
        var hers = annasThere
        hers.clients[0].notes = "Annas anteckning"
        _ = try annaElsewhere.saveChanges(hers)
        try waitUntilHeard(anna, hers.clients[0].id)
        #expect(!anna.heardIDs.contains(changed.clients[0].id), "Bo's person would be fetched by Anna")
        let fetched = try anna.changesElsewhere(local: annas)
        #expect(fetched.map(\.client.id) == [hers.clients[0].id])

        // Anna covers for Bo: his next change, and a person he adds, reach her.
        let admin = PostgresStore(try PostgresLocation(unit.admin, environment: [:]))
        try admin.grantCover(covered: unit.b, covering: unit.a, until: Day(year: 2099, month: 1, day: 1) ?? today)
        var local = annas
        let deadline = Date().addingTimeInterval(20)
        while anna.unitContext()?.coveringFor.isEmpty != false {
            guard Date() < deadline else { throw PrivateServer.ServerFailure(message: "the cover was never heard") }
            for change in try anna.changesElsewhere(local: local) { local.clients.append(change.client) }
            usleep(20_000)
        }
        // The cover's announcement had every version compared: Bo's people are Anna's to see now.
        for change in try anna.changesElsewhere(local: local) { local.clients.append(change.client) }
        #expect(Set(unit.bPeople.map(\.id)).isSubset(of: Set(local.clients.map(\.id))))
        changed.clients[1].notes = "Bo igen"
        var added = DemoCaseload.make(today: today).clients[20]
        added.id = changed.makeID("c")
        changed.clients.append(added)
        _ = try bo.saveChanges(changed)
        try waitUntilHeard(anna, added.id)
        #expect(anna.heardIDs.contains(changed.clients[1].id))
        let covered = try anna.changesElsewhere(local: local).map(\.client.id).sorted()
        #expect(covered == [changed.clients[1].id, added.id].sorted())
    }
}
