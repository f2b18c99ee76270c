import BevakaTestSupport
import BevakaDomain
import BevakaStore
import Foundation
import Testing
@testable import BevakaRuntime
@testable import BevakaUI

/// Issue 9's faults as the screen shows them.
@Suite struct TrustUITests {
    /// A store whose folder disappears after loading: every save fails, as on a full disk.
    func failingStore() throws -> (FileStore, URL, Caseload) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-trust-\(UUID().uuidString)")
        let store = FileStore(url: folder.appendingPathComponent("caseload.json"))
        try store.lockForWriting()
        _ = try store.load()
        let caseload = DemoCaseload.make(today: today)
        try store.save(caseload)
        // Saves now fail: the folder is a file.
        try FileManager.default.removeItem(at: folder)
        try Data("not a folder".utf8).write(to: folder)
        return (store, folder, caseload)
    }

    // 4. Quitting while saves fail dropped the change.
    @Test func quittingWhileSavesFailAsksAndQuitsOnlyWhenTold() throws {
        let (store, folder, caseload) = try failingStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        var state = AppState(caseload: caseload, today: today)
        state.storePath = store.path
        // Mark the first overdue bevakning done, then q.
        let backend = ScriptedBackend(events: [.key(.character("3")), .key(.character("d")), .key(.character("q"))])
        let saver = Saver(store: store, saved: caseload)
        var loop = AppLoop(state: state, backend: backend, saver: saver, clock: { Date() }, currentDay: nil)
        // Ask, Esc back to work, q asks again, then "quit and lose" (3).
        loop.backend.events += [.key(.escape), .key(.character("q")), .key(.character("3"))]
        let allSaved = loop.run()
        #expect(!allSaved)
        let asked = loop.backend.frames.filter { $0.text.contains("Ändringarna kunde inte sparas") }
        #expect(asked.count >= 2)
        let question = try #require(asked.first?.text)
        #expect(question.contains("Försök spara igen"))
        #expect(question.contains("Spara en kopia i en annan fil"))
        #expect(question.contains("Avsluta och förlora ändringarna"))
        // It names whose change would be lost.
        let changed = try #require(saver.unsavedClientIDs().first)
        let name = try #require(caseload.clients.first { $0.id == changed }?.name)
        #expect(question.contains(String(name.prefix(10))))
        let toldToFreeSpace = loop.backend.frames.contains { frame in frame.text.contains("försöker spara igen var 3:e sekund") }
        #expect(toldToFreeSpace)
    }

    @Test func quittingWhileSavesFailCanSaveACopyElsewhere() throws {
        let (store, folder, caseload) = try failingStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-copy-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: copy) }
        var events: [BackendEvent] = [.key(.character("3")), .key(.character("d")), .key(.character("q")), .key(.character("2")),
                                      .key(.ctrl("u"))]
        events += copy.path.map { .key(.character($0)) }
        events.append(.key(.enter))
        var loop = AppLoop(state: AppState(caseload: caseload, today: today), backend: ScriptedBackend(events: events),
                           saver: Saver(store: store, saved: caseload), clock: { Date() }, currentDay: nil)
        let allSaved = loop.run()
        #expect(!allSaved)
        #expect(loop.savedCopy == copy.path)
        // The copy is a store Bevaka can open, private, with the change in it.
        let saved = try #require(try FileStore(url: copy).load())
        let done = saved.clients.flatMap(\.reminders).contains { reminder in reminder.status == .done }
        #expect(done)
        #expect(((try FileManager.default.attributesOfItem(atPath: copy.path))[.posixPermissions] as? Int) == 0o600)
    }

    @Test func retryingAfterTheDiskIsFreedSavesAndQuits() throws {
        let (store, folder, caseload) = try failingStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        var loop = AppLoop(state: AppState(caseload: caseload, today: today),
                           backend: ScriptedBackend(events: [.key(.character("3")), .key(.character("d")), .key(.character("q"))]),
                           saver: Saver(store: store, saved: caseload), clock: { Date() }, currentDay: nil)
        // The question appears; the user "frees space" (the folder comes back) and picks 1.
        loop.backend.events.append(.timeout)
        loop.backend.onEvent = { remaining in
            if remaining == 0 {
                try? FileManager.default.removeItem(at: folder)
                try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                return .key(.character("1"))
            }
            return nil
        }
        let allSaved = loop.run()
        #expect(allSaved)
        let reloaded = try #require(try FileStore(url: store.url).load())
        let done = reloaded.clients.flatMap(\.reminders).contains { reminder in reminder.status == .done }
        #expect(done)
    }

    // 10. A 50-character name must not push the personnummer off the case screen.
    @Test func aLongNameLeavesThePersonnummerWholeOnTheCaseScreen() throws {
        var caseload = DemoCaseload.make(today: today)
        // 50 characters: with the personnummer the first row reaches the scroll position's place.
        caseload.clients[0].name = "Astrid Maria Elisabet Nilsson-Grönkvist af Långhed"
        var state = AppState(caseload: caseload, today: today, width: 80, height: 24)
        state.openClientID = caseload.clients[0].id
        state.screen = .caseDetail
        let text = render(state).text
        #expect(text.contains(" av "), "the case must be long enough to scroll:\n\(text)")
        #expect(text.contains(caseload.clients[0].personnummer.formatted), "\(text)")
        // The header stays while the body scrolls.
        press(&state, .pageDown)
        #expect(render(state).text.contains(caseload.clients[0].personnummer.formatted))
    }

    @Test func flagsAndJoinedEmojiLeaveNoStrayCharacters() {
        var buffer = CellBuffer(width: 20, height: 1)
        buffer.put("A🇸🇪B👩‍👩‍👧C", x: 0, y: 0, role: .normal)
        // The flag becomes its letters; the joined family is its emoji, two columns each.
        #expect(buffer.text == "ASEB👩👩👧C\n")
        var marks = CellBuffer(width: 5, height: 1)
        marks.put("a" + String(repeating: "\u{0301}", count: 40) + "b", x: 0, y: 0, role: .normal)
        #expect(marks[0, 0].character.unicodeScalars.count <= Cell.maximumScalars)
        #expect(marks[1, 0].character == "b")
    }

    @Test func invisibleAndBidiMarksAreStrippedFromNames() {
        let name = "An\u{200B}na\u{00AD} \u{200E}Lars\u{200F}son\u{061C}\u{2060}\u{2064}\u{202E}\u{FEFF}"
        #expect(TerminalText.sanitize(name) == "Anna Larsson")
    }

    @Test func aPersonnummerInAStatusMessageIsMasked() {
        var state = demoState()
        state.message = "Filen /tmp/x rad 3: 19400102-2393 är ingen lag"
        let text = render(state).text
        #expect(!text.contains("2393"))
        #expect(text.contains("19400102-****"))
    }
}
