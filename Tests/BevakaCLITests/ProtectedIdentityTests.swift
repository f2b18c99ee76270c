import Foundation
import Testing

/// Issue 22: a person with protected identity (skyddade personuppgifter): the way to the door
/// appears in no output of any command (only on the case screen and in hembesöksläge), and lists
/// say "Skyddad" instead of the birth date.
@Suite struct ProtectedIdentityTests {
    @Test func theContactDataOfAProtectedPersonIsInNoOutput() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-skyddad-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("caseload.json").path
        #expect(try bevaka(["demo", "--store", store, "--today", "2026-11-22"]).status == 0)
        var document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: store))) as? [String: Any])
        var clients = try #require(document["clients"] as? [[String: Any]])
        // Every person protected, each with the whole way to the door and a booking at the address.
        let secrets = ["Hemliggatan 7", "41199", "Hemligstad", "0701112233", "0702223344", "0703334455", "98765", "nyckel under mattan",
                       "Besöksplatsen 9"]
        for index in clients.indices {
            clients[index]["protected"] = true
            clients[index]["address"] = ["street": secrets[0], "postcode": secrets[1], "town": secrets[2]]
            clients[index]["phones"] = [["label": "eget", "number": secrets[3]], ["label": "anhörig", "number": secrets[4]],
                                        ["label": "god man", "number": secrets[5]]]
            clients[index]["doorCode"] = secrets[6]
            clients[index]["access"] = secrets[7]
            clients[index]["booking"] = ["date": "2026-11-25", "start": "10:00", "minutes": 60, "place": secrets[8], "invited": ["den enskilde"]]
        }
        document["clients"] = clients
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: store))
        let births = clients.compactMap { ($0["pnr"] as? String).map { String($0.prefix(8)) } }
        let commands: [[String]] = [
            ["agenda"], ["agenda", "--format", "json"], ["agenda", "--week"], ["agenda", "--show-personnummer"],
            ["arshjul"], ["arshjul", "--format", "json"], ["arshjul", "--show-personnummer"],
            ["export", "csv"], ["export", "json"], ["export", "ics"], ["export", "ics", "--full-names"],
            ["rapport"], ["rapport", "--format", "csv"], ["rapport", "--format", "json"],
            ["rapport", "ivo", "--kvartal", "2026-3"], ["rapport", "ivo", "--kvartal", "2026-3", "--format", "json"],
        ]
        var listed = 0
        for command in commands {
            let run = try bevaka(command + ["--store", store, "--today", "2026-11-22"])
            #expect(run.status == 0, "\(command): \(run.stderr)")
            let output = run.stdout + run.stderr
            for secret in secrets { #expect(!output.contains(secret), "\(command) shows \(secret)") }
            if command.first == "agenda" || command.first == "arshjul" {
                #expect(output.contains("Skyddad"), "\(command)")
                #expect(!births.contains { output.contains($0) }, "\(command) shows a birth date")
                listed += 1
            }
        }
        #expect(listed == 7)
        // The export keeps the flag, so a list moved elsewhere stays protected.
        let csv = try bevaka(["export", "csv", "--store", store, "--today", "2026-11-22"]).stdout
        #expect(csv.contains(";skyddad") && csv.contains(";ja"))
    }
}

/// `bevaka export registerutdrag`: everything about the one person (the door code, the checklist
/// answers), and nothing about anyone else.
@Suite struct RegisterutdragTests {
    @Test func theExtractHoldsThePersonsDoorCodeAndAnswersAndNoOneElse() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-utdrag-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("caseload.json").path
        #expect(try bevaka(["demo", "--store", store, "--today", "2026-11-22"]).status == 0)
        var document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: store))) as? [String: Any])
        var clients = try #require(document["clients"] as? [[String: Any]])
        clients[2]["doorCode"] = "4711#"
        clients[2]["draft"] = ["date": "2026-11-20", "form": "homeVisit", "trigger": "ownPlan", "participants": ["den enskilde"],
                               "answers": ["samtycke": ["mark": "done", "note": "Samtycke muntligt, trappan är hal"]],
                               "decisions": [], "phase": "visit"]
        document["clients"] = clients
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: store))
        let person = try #require(clients[2]["pnr"] as? String)
        let name = try #require(clients[2]["name"] as? String)
        let file = folder.appendingPathComponent("utdrag.txt").path
        let run = try bevaka(["export", "registerutdrag", person, "--store", store, "--today", "2026-11-22", "--output", file])
        #expect(run.status == 0, "\(run.stderr)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        for wanted in [name, "Portkod: 4711#", "Samtycke muntligt, trappan är hal", "Registerutdrag ur Bevaka", "Källa:",
                       "Allt som lagras om personen"] {
            #expect(text.contains(wanted), "\(wanted) missing")
        }
        for (index, other) in clients.enumerated() where index != 2 {
            for value in [other["pnr"] as? String, other["name"] as? String].compactMap({ $0 }) {
                #expect(!text.contains(value), "another person's \(value) is in the extract")
            }
        }
        #expect(((try? FileManager.default.attributesOfItem(atPath: file)[.posixPermissions]) as? Int) == 0o600)
        // Someone who is not in the list: said, nothing written.
        let missing = try bevaka(["export", "registerutdrag", "192307319224", "--store", store, "--today", "2026-11-22"])
        #expect(missing.status != 0 && missing.stderr.contains("finns i Bevaka") && !missing.stderr.contains("192307319224"), "\(missing.stderr)")
    }
}
