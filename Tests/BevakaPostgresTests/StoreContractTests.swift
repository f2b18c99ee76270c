import BevakaDomain
import BevakaPostgres
import BevakaStore
import BevakaTestSupport
import Foundation
import Testing

/// Issue 36, item 6: one contract for the store, run against the file store and PostgreSQL alike
/// (docs/architecture.md promises it): what is saved comes back whole in a new store on the same
/// place, a change to one person touches no one else, a second writer never overwrites the first,
/// archiving and an import are kept, a gallring removes for good what is due and nothing else,
/// and a fresh store has nothing to say and nothing to replay. Each engine is opened as the app
/// opens it (`prepareForWriting`, `load`); PostgreSQL on a real private server, as handläggare.
@Suite(.serialized) struct StoreContractTests {
    enum Engine: String, CaseIterable, CustomTestStringConvertible {
        case file, postgres
        var testDescription: String { rawValue }
    }

    /// One place to keep a caseload, and a way to open it again as a new process would.
    final class Place {
        let engine: Engine
        let folder: URL?
        let unit: UnitFixture?

        init(_ engine: Engine) throws {
            self.engine = engine
            switch engine {
            case .file:
                // The same three people the shared store's handläggare starts with.
                let folder = try temporaryFolder()
                let seed = FileStore(url: folder.appendingPathComponent("caseload.json"))
                try seed.prepareForWriting()
                _ = try seed.load()
                try seed.save(Caseload(clients: Array(DemoCaseload.make(today: today).clients.prefix(3))))
                seed.shutDown()
                self.folder = folder
                unit = nil
            case .postgres:
                folder = nil
                unit = try UnitFixture()
            }
        }

        deinit { if let folder { try? FileManager.default.removeItem(at: folder) } }

        /// A store opened for writing, and what it loads.
        func open() throws -> (CaseloadStore, Caseload) {
            switch engine {
            case .file:
                let store = FileStore(url: (folder ?? URL(fileURLWithPath: "/nonexistent")).appendingPathComponent("caseload.json"))
                try store.prepareForWriting()
                return (store, try store.load() ?? Caseload())
            case .postgres:
                guard let unit else { throw PrivateServer.ServerFailure(message: "no unit") }
                let (store, caseload) = try unit.store(as: unit.a)
                return (store, caseload)
            }
        }

        /// What a new store on the same place reads (the first one shut down).
        func reread(after store: CaseloadStore) throws -> Caseload {
            store.shutDown()
            let (again, caseload) = try open()
            again.shutDown()
            return caseload
        }

        /// The next day on the store's clock (the shared store's gallring waits a day after facts
        /// are recorded; the file store has no clock of its own).
        func nextDay() throws {
            try unit?.setClock("2026-12-02")
        }
    }

    func person(_ name: String, _ number: String, _ serial: Int) throws -> Client {
        let key = String(serial)
        var client = Client(id: "c\(key)", name: name, personnummer: try Personnummer.parse(number, today: today),
                            decisions: [Decision(id: "d\(key)", law: .sol, service: "hemtjänst", grantedHours: 12.5,
                                                 validFrom: d("2026-01-10"), startedOn: d("2026-01-12"))],
                            reminders: [Reminder(id: "r\(key)", kind: .manual, due: d("2026-12-15"), text: "Ring dottern")])
        client.booking = Booking(date: d("2026-12-10"), start: 600, minutes: 45, invited: ["den enskilde"])
        return client
    }

    func byID(_ caseload: Caseload) -> [String: Client] {
        Dictionary(caseload.clients.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    @Test(arguments: Engine.allCases) func whatIsSavedComesBackWholeAndAChangeTouchesNoOneElse(engine: Engine) throws {
        let place = try Place(engine)
        var (store, caseload) = try place.open()
        let before = byID(caseload)
        caseload.clients.append(try person("Tyra Test", "19121212-1212", 9001))
        caseload.clients.append(try person("Ulf Test", "19390223-8959", 9002))
        _ = try store.saveChanges(caseload)
        var read = try place.reread(after: store)
        #expect(byID(read)["c9001"] == caseload.clients.first { $0.id == "c9001" }, "\(engine)")
        #expect(byID(read)["c9002"] == caseload.clients.first { $0.id == "c9002" }, "\(engine)")
        for (id, client) in before { #expect(byID(read)[id] == client, "\(engine): \(id)") }

        // One person's note changed: only that person differs.
        (store, caseload) = try place.open()
        let index = try #require(caseload.clients.firstIndex { $0.id == "c9001" })
        caseload.clients[index].notes = "Nyckel hos grannen"
        let others = byID(caseload).filter { $0.key != "c9001" }
        _ = try store.saveChanges(caseload)
        read = try place.reread(after: store)
        #expect(byID(read)["c9001"]?.notes == "Nyckel hos grannen", "\(engine)")
        for (id, client) in others { #expect(byID(read)[id] == client, "\(engine): \(id)") }
    }

    /// The file store lets one writer hold the file; the shared store merges a second writer's
    /// change with the first. Either way the first's saved change is never lost.
    @Test(arguments: Engine.allCases) func aSecondWriterNeverOverwritesTheFirst(engine: Engine) throws {
        let place = try Place(engine)
        let (first, base) = try place.open()
        let id = try #require(base.clients.first).id
        var mine = base
        mine.clients[0].notes = "Första skrivarens anteckning"
        switch engine {
        case .file:
            _ = try first.saveChanges(mine)
            // A second writer on the same file is refused while the first holds it.
            let second = FileStore(url: (place.folder ?? URL(fileURLWithPath: "/")).appendingPathComponent("caseload.json"))
            #expect(throws: StoreError.self) { try second.prepareForWriting() }
        case .postgres:
            let (second, theirs) = try place.open()
            _ = try first.saveChanges(mine)
            // The second writer, from its older copy, changes another part of the same person.
            var stale = theirs
            stale.clients[0].reminders.append(Reminder(id: "r-andra", kind: .manual, due: d("2026-12-20"), text: "Andra skrivaren"))
            _ = try second.saveChanges(stale)
            second.shutDown()
        }
        let read = try place.reread(after: first)
        #expect(byID(read)[id]?.notes == "Första skrivarens anteckning", "\(engine)")
        if engine == .postgres { #expect(byID(read)[id]?.reminders.contains { $0.id == "r-andra" } == true) }
    }

    @Test(arguments: Engine.allCases) func archivingAndAnImportAreKept(engine: Engine) throws {
        let place = try Place(engine)
        var (store, caseload) = try place.open()
        let id = try #require(caseload.clients.first).id
        caseload.clients[0].archived = true
        let csv = "personnummer;namn;insats;beslut_fran;verkstallt\n19121212-1212;Tolvan Tolvansson;hemtjänst;2026-01-15;2026-01-15\n"
        let report = try CaseloadImport.run(Array(csv.utf8), into: &caseload, routines: .standard, today: today)
        #expect(report.newClients == 1 && report.rejected.isEmpty)
        _ = try store.saveChanges(caseload)
        let read = try place.reread(after: store)
        #expect(byID(read)[id]?.archived == true, "\(engine)")
        let imported = read.clients.first { $0.personnummer.digits == "191212121212" }
        #expect(imported?.name == "Tolvan Tolvansson" && imported?.decisions.first?.service == "hemtjänst", "\(engine)")
    }

    @Test(arguments: Engine.allCases) func aGallringRemovesForGoodWhatIsDueAndNothingElse(engine: Engine) throws {
        let place = try Place(engine)
        var (store, caseload) = try place.open()
        // One person's decisions ended over a year ago, archived.
        var ended = try person("Vera Slut", "19121212-1212", 9003)
        ended.archived = true
        ended.decisions[0].validFrom = d("2024-01-10")
        ended.decisions[0].closedOn = d("2025-10-15")
        ended.decisions[0].validTo = d("2025-12-31")
        ended.reminders = []
        ended.booking = nil
        caseload.clients.append(ended)
        _ = try store.saveChanges(caseload)
        store.shutDown()
        try place.nextDay()
        (store, caseload) = try place.open()
        let due = Gallring.candidates(caseload, months: 12, today: d("2026-12-02"))
        #expect(due.map(\.client.id) == [ended.id], "\(engine)")
        let others = byID(caseload).filter { $0.key != ended.id }
        let (remaining, removed) = try store.removeForGood(Set(due.map(\.client.id)), from: caseload)
        #expect(removed == 1 && !remaining.clients.contains { $0.id == ended.id }, "\(engine)")
        let read = try place.reread(after: store)
        #expect(byID(read)[ended.id] == nil, "\(engine)")
        for (id, client) in others { #expect(byID(read)[id] == client, "\(engine): \(id)") }
    }

    @Test(arguments: Engine.allCases) func aFreshStoreHasNothingToSayAndNothingToReplay(engine: Engine) throws {
        let place = try Place(engine)
        var (store, caseload) = try place.open()
        #expect(store.takeNotice() == nil, "\(engine)")
        #expect(try store.replayRecovery(into: &caseload) == nil, "\(engine)")
        #expect(try store.changesElsewhere(local: caseload).isEmpty, "\(engine)")
        // The file store keeps no access log (nothing to read back); the shared store returns
        // nothing more for a handläggare who already holds the whole record.
        if let id = caseload.clients.first?.id { #expect(try store.recordOpen(id, what: "ärende") == nil, "\(engine)") }
        store.shutDown()
    }
}
