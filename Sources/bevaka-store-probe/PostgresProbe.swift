import BevakaDomain
import BevakaPostgres
import BevakaStore
import Foundation

/// The shared store's concurrency tests run these as separate processes (two handläggare).
func runPostgresProbe(_ arguments: [String]) -> Never {
    do {
        let store = PostgresStore(try PostgresLocation(arguments[2], environment: ProcessInfo.processInfo.environment))
        try store.prepareForWriting()
        var caseload = try store.load() ?? Caseload()
        func take(_ changes: [ChangedElsewhere]) {
            for change in changes {
                if let index = caseload.clients.firstIndex(where: { $0.id == change.client.id }) {
                    caseload.clients[index] = change.client
                }
            }
        }
        switch arguments[1] {
        case "pg-add-reminders":
            // The person: their position in the caseload (0, 1, …).
            guard let position = Int(arguments[3]), caseload.clients.indices.contains(position) else { exit(3) }
            let id = caseload.clients[position].id
            let rounds = Int(arguments[4]) ?? 0
            let tag = arguments[5]
            var conflicts = 0, lost = 0
            for round in 1...max(1, rounds) {
                guard let index = caseload.clients.firstIndex(where: { $0.id == id }) else { exit(3) }
                let reminderID = caseload.makeID("r")
                caseload.clients[index].reminders.append(Reminder(
                    id: reminderID, kind: .manual, due: Day(dayNumber: 20_000 + round), text: "\(tag) \(round)"))
                let changes = try store.saveChanges(caseload)
                conflicts += changes.count
                lost += changes.reduce(0) { $0 + $1.notApplied.count }
                take(changes)
                take(try store.changesElsewhere(local: caseload))
                say("saved \(round)")
            }
            say("conflicts \(conflicts) lost \(lost)")
        case "pg-rounds":
            let rounds = Int(arguments[3]) ?? 0
            for round in 1...max(1, rounds) {
                for index in caseload.clients.indices.prefix(5) { caseload.clients[index].notes = "round \(round)" }
                take(try store.saveChanges(caseload))
                say("saved \(round)")
            }
        default:
            exit(64)
        }
        exit(0)
    } catch let error as StoreError {
        say(error.message)
        exit(2)
    } catch let error as PostgresLocation.ParseError {
        say(error.message)
        exit(2)
    } catch {
        say("\(error)")
        exit(2)
    }
}
