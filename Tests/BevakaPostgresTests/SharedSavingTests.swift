import BevakaTestSupport
import BevakaDomain
import BevakaPostgres
import BevakaStore
@testable import BevakaRuntime
import BevakaUI
import Foundation
import Testing

/// The app's saver on the shared store: changes made elsewhere reach the app, and a caseload the
/// app submits before it has taken such a change in never reverts it.
@Suite(.serialized) struct SharedSavingTests {
    let server = PrivateServer.shared

    func reminder(_ id: String, _ text: String) -> Reminder {
        Reminder(id: id, kind: .manual, due: today, text: text)
    }

    /// Waits (polling, bounded) until the saver has handed out something.
    func outcomes(_ saver: Saver, until done: ([Saver.Outcome]) -> Bool) -> [Saver.Outcome] {
        var all: [Saver.Outcome] = []
        for _ in 0..<100 {
            saver.pollChangesElsewhere()
            all += saver.takeOutcomes()
            if done(all) { break }
            usleep(50_000)
        }
        return all
    }

    /// Issue 36, item 3: a colleague's change is fetched as soon as the store hears its NOTIFY,
    /// and its outcome wakes the loop's inbox — nobody asks the saver (no tick, no poll here).
    @Test func aColleaguesChangeIsFetchedAsSoonAsItIsHeard() throws {
        let url = try server.database()
        let (seed, _) = try openStore(url)
        _ = try seed.saveChanges(DemoCaseload.make(today: today))
        let (mine, loaded) = try openStore(url)
        let saver = Saver(store: mine, saved: loaded)
        let (colleague, theirs) = try openStore(url)
        var changed = theirs
        changed.clients[0].notes = "hörd genast"
        _ = try colleague.saveChanges(changed)
        var heard: ChangedElsewhere?
        let started = Date()
        while heard == nil, Date().timeIntervalSince(started) < 10 {
            var wake = pollfd(fd: saver.inbox.wakeDescriptor, events: Int16(POLLIN), revents: 0)
            _ = poll(&wake, 1, 10_000)
            for message in saver.inbox.drain() {
                if case .saver(.changedElsewhere(let change, _)) = message { heard = change }
            }
        }
        #expect(heard?.client.notes == "hörd genast")
    }

    @Test func aStaleSubmissionIsRebasedOntoTheOthersChange() throws {
        let url = try server.database()
        let (seed, _) = try openStore(url)
        _ = try seed.saveChanges(DemoCaseload.make(today: today))
        let (mine, loaded) = try openStore(url)
        let saver = Saver(store: mine, saved: loaded)
        var caseload = loaded
        let person = caseload.clients[0].id

        // A colleague writes a note on the person.
        let (colleague, theirs) = try openStore(url)
        var changed = theirs
        changed.clients[0].notes = "kollegans anteckning"
        _ = try colleague.saveChanges(changed)

        // The saver hears it and hands the merged record to the app…
        let heard = outcomes(saver) { $0.contains { if case .changedElsewhere = $0 { return true } else { return false } } }
        let handed = heard.compactMap { outcome -> (ChangedElsewhere, Int)? in
            if case .changedElsewhere(let change, let sequence) = outcome { return (change, sequence) }
            return nil
        }
        #expect(handed.count == 1)
        #expect(handed.first?.0.client.notes == "kollegans anteckning")
        #expect(handed.first?.0.by == "postgres")

        // …but before the app has applied it, the app submits its older copy with a change of its
        // own (a bevakning). The colleague's note must survive, and so must the bevakning.
        caseload.clients[0].reminders.append(reminder("r90000001", "min bevakning"))
        saver.submit(caseload, applied: 0)
        #expect(saver.flush())
        let (_, after) = try openStore(url)
        let stored = try #require(after.clients.first { $0.id == person })
        #expect(stored.notes == "kollegans anteckning")
        #expect(stored.reminders.contains { $0.text == "min bevakning" })

        // Once the app says it applied the change, its copy is taken as it is.
        var applied = caseload
        applied.clients[0] = stored
        applied.clients[0].notes = "min ändring av anteckningen"
        saver.submit(applied, applied: handed.first?.1 ?? 0)
        #expect(saver.flush())
        let (_, final) = try openStore(url)
        #expect(final.clients.first { $0.id == person }?.notes == "min ändring av anteckningen")
    }

    @Test func bothChangingTheSameValueKeepsTheirsAndNamesMine() throws {
        let url = try server.database()
        let (seed, _) = try openStore(url)
        _ = try seed.saveChanges(DemoCaseload.make(today: today))
        let (first, a) = try openStore(url)
        let (second, b) = try openStore(url)
        var mineA = a
        mineA.clients[0].notes = "A:s anteckning"
        mineA.clients[0].reminders.append(reminder("r90000002", "A:s bevakning"))
        var mineB = b
        mineB.clients[0].notes = "B:s anteckning"
        _ = try second.saveChanges(mineB)
        let changes = try first.saveChanges(mineA)
        #expect(changes.count == 1)
        let change = try #require(changes.first)
        #expect(change.notApplied == ["anteckning"])
        #expect(change.localKept)
        #expect(change.client.notes == "B:s anteckning")
        #expect(change.client.reminders.contains { $0.text == "A:s bevakning" })
        let (_, after) = try openStore(url)
        #expect(after.clients[0] == change.client)
    }
}
