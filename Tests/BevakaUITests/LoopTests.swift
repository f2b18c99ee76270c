import BevakaDomain
import BevakaStore
import Foundation
import Testing
@testable import BevakaUI

/// A terminal that plays back keys and records what was drawn.
struct ScriptedBackend: TerminalBackend {
    var events: [BackendEvent]
    var terminateAfter: Int?
    var frames: [CellBuffer] = []
    var size: (width: Int, height: Int) = (80, 24)
    var copied: [String] = []
    /// Called once when the events run out (with 0): may act (free the disk) and give one more event.
    var onEvent: ((Int) -> BackendEvent?)?
    /// Events given after the script ran out; past a bound the run is ended like a SIGTERM, so a
    /// test whose app will not quit fails instead of hanging.
    var extra = 0

    mutating func copyToClipboard(_ text: String) { copied.append(text) }

    mutating func draw(_ buffer: CellBuffer) { frames.append(buffer) }

    mutating func nextEvent(timeoutMilliseconds: Int) -> BackendEvent {
        if !events.isEmpty { return events.removeFirst() }
        if let hook = onEvent {
            onEvent = nil
            if let event = hook(0) { return event }
        }
        extra += 1
        return .key(.character("q"))
    }

    mutating func terminationRequested() -> Bool {
        if extra > 20 { return true }
        guard let after = terminateAfter else { return false }
        terminateAfter = after - 1
        return after <= 0
    }
}

@Suite struct LoopTests {
    func store() throws -> (FileStore, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-ui-\(UUID().uuidString)")
        let store = FileStore(url: folder.appendingPathComponent("caseload.json"))
        try store.lockForWriting()
        _ = try store.load()
        try store.save(DemoCaseload.make(today: today))
        return (store, folder)
    }

    @Test func aChangeIsSavedBeforeQuitting() throws {
        let (store, folder) = try store()
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = AppState(caseload: try store.load() ?? Caseload(), today: today)
        let backend = ScriptedBackend(events: [.key(.character("3")), .key(.character("d")), .key(.character("q"))])
        var loop = AppLoop(state: state, backend: backend, saver: Saver(store: store), clock: { Date() }, currentDay: nil)
        let allSaved = loop.run()
        #expect(allSaved)
        let saved = try FileStore(url: store.url).load()
        #expect(saved?.clients.flatMap(\.reminders).contains { $0.status == .done } == true)
        #expect(loop.backend.frames.last?.text.contains("Bevakningar") == true)
    }

    @Test func aTerminationSignalSavesAndLeaves() throws {
        let (store, folder) = try store()
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = AppState(caseload: try store.load() ?? Caseload(), today: today)
        let backend = ScriptedBackend(events: [.key(.character("3")), .key(.character("p")), .timeout, .timeout],
                                      terminateAfter: 2)
        var loop = AppLoop(state: state, backend: backend, saver: Saver(store: store), clock: { Date() }, currentDay: nil)
        let allSaved = loop.run()
        #expect(allSaved)
        let saved = try FileStore(url: store.url).load()
        #expect(saved?.clients.flatMap(\.reminders).contains { $0.priority == .high && $0.kind != .manual } == true)
    }

    @Test func resizingRedrawsAtTheNewSize() throws {
        var backend = ScriptedBackend(events: [.resize, .key(.character("q"))])
        backend.size = (100, 30)
        var loop = AppLoop(state: demoState(), backend: backend, saver: nil, clock: { Date() }, currentDay: nil)
        _ = loop.run()
        #expect(loop.backend.frames.last?.width == 100)
        #expect(loop.state.height == 30)
    }
}
