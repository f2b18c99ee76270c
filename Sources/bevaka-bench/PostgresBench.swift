import BevakaDomain
import BevakaPostgres
import BevakaProcess
import BevakaStore
import BevakaUI
import Foundation
import Glibc

/// Runs a command through /usr/bin/env and returns what it prints (its errors discarded).
func capture(_ arguments: [String]) -> (status: Int32, output: String) {
    ChildProcess.capture("/usr/bin/env", arguments, mergeErrors: false)
}

/// scripts/dev-postgres, found from the executable (.build/release/… in a checkout).
func devPostgresScript() -> String {
    var root = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    while root.path != "/" && !FileManager.default.fileExists(atPath: root.appendingPathComponent("scripts/dev-postgres").path) {
        root.deleteLastPathComponent()
    }
    return root.appendingPathComponent("scripts/dev-postgres").path
}

func benchPostgres() {
    let script = devPostgresScript()
    let started = capture([script, "start"])
    guard started.status == 0, let url = started.output.split(separator: "\n").last.map(String.init),
          let range = url.range(of: "host=") else {
        print("\nPostgreSQL: ingen privat server kunde startas (apt-get install -y postgresql); raderna saknas.")
        return
    }
    let socketFolder = String(url[range.upperBound...])
    defer { _ = capture([script, "stop", socketFolder]) }
    print("")
    print("PostgreSQL (privat server, Unix-socket):")
    print("  people in the database, seen by          load ms  agenda ms  agenda peak MB  first frame ms  save one ms")
    // The owner sees everyone; a handläggare sees their own (row-level security): 150 of 10,000
    // spread over 67 handläggare is the unit the targets are for.
    for (size, handlaggare) in [(150, 0), (10_000, 0), (10_000, 67)] {
        let database = "bench\(size)_\(handlaggare)"
        _ = capture(["psql", "-X", "-q", "-h", socketFolder, "-U", "postgres", "-d", "bevaka", "-c", "CREATE DATABASE \(database)"])
        let owner = "postgresql://postgres@/\(database)?host=\(socketFolder)"
        let address = handlaggare > 0 ? "postgresql://h01@/\(database)?host=\(socketFolder)" : owner
        do {
            let admin = try PostgresLocation(owner, environment: [:])
            let location = try PostgresLocation(address, environment: [:])
            _ = try PostgresStore(admin).initialise()
            let seed = PostgresStore(admin)
            try seed.prepareForWriting()
            let everyone = generate(size)
            if handlaggare > 0 {
                let share = (everyone.clients.count + handlaggare - 1) / handlaggare
                for index in 0..<handlaggare {
                    let role = String(format: "h%02d", index + 1)
                    _ = try seed.addUser(role, kind: .handlaggare, name: "Handläggare \(index + 1)")
                    let part = Array(everyone.clients.dropFirst(index * share).prefix(share))
                    _ = try seed.importCaseload(Caseload(clients: part), owner: role)
                }
            } else {
                _ = try seed.importCaseload(everyone, owner: "postgres")
            }
            var loads: [Double] = [], agendas: [Double] = [], frames: [Double] = [], saves: [Double] = []
            var peak = 0.0
            for round in 0..<runs {
                loads.append(try milliseconds { _ = try PostgresStore(location).load() })
                let run = spawnTimed(binary, ["agenda", "--store", address, "--today", today.description])
                precondition(run.status == 0, "bevaka agenda failed on the database")
                agendas.append(run.ms)
                peak = max(peak, run.peakMB)
                // What the app does before its first frame: connect, check the schema, reserve
                // ids, listen, load, build the state (all rules) and render it.
                var store: PostgresStore?
                var state: AppState?
                frames.append(try milliseconds {
                    let opened = PostgresStore(location)
                    try opened.prepareForWriting()
                    let caseload = try opened.load() ?? Caseload()
                    let ready = AppState(caseload: caseload, today: today)
                    _ = render(ready)
                    store = opened
                    state = ready
                })
                guard let store, var caseload = state?.caseload else { continue }
                caseload.clients[caseload.clients.count / 2].notes = "ändrad \(round)"
                saves.append(try milliseconds { _ = try store.saveChanges(caseload) })
            }
            func f(_ value: Double, _ width: Int) -> String {
                let text = String(format: "%.1f", value)
                return String(repeating: " ", count: max(0, width - text.count)) + text
            }
            let label = handlaggare > 0 ? "\(size), one handläggare's \((size + handlaggare - 1) / handlaggare)" : "\(size), the owner (all)"
            print("  " + label + String(repeating: " ", count: max(0, 40 - label.count))
                + f(median(loads), 9) + f(median(agendas), 11) + f(peak, 16) + f(median(frames), 16) + f(median(saves), 13))
        } catch let error as StoreError {
            print("PostgreSQL \(size): \(error.message)")
        } catch {
            print("PostgreSQL \(size): \(error)")
        }
    }
}
