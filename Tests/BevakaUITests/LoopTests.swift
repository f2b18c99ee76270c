import BevakaTestSupport
import BevakaDomain
import BevakaStore
import Foundation
import Testing
@testable import BevakaRuntime
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

/// Issue 15: the list of bevakningar updated for the changed people only is the list computed anew.
@Suite struct IncrementalItemsTests {
    @Test func changingAFewPeopleGivesTheSameListAsComputingEverything() {
        let day = Day(year: 2026, month: 11, day: 22) ?? Day(dayNumber: 0)
        var state = AppState(caseload: DemoCaseload.large(700, today: day), today: day)
        var seed: UInt64 = 15
        for round in 0..<40 {
            let old = state.caseload
            for _ in 0..<(1 + round % 5) {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let index = Int((seed >> 33) % UInt64(state.caseload.clients.count))
                var client = state.caseload.clients[index]
                switch round % 4 {
                case 0: client.reminders.append(Reminder(id: "r\(round)", kind: .manual, due: day.adding(days: Int(seed % 90) - 45)))
                case 1: if !client.decisions.isEmpty { client.decisions[0].validTo = day.adding(days: Int(seed % 400)) }
                case 2: client.followUps.removeAll()
                default: client.archived.toggle()
                }
                state.caseload.clients[index] = client
            }
            state.recompute(changedFrom: old)
            let fresh = AppState(caseload: state.caseload, today: day)
            #expect(state.items == fresh.items, "round \(round)")
        }
    }

    /// The manager's app opens in Enheten, which needs no list order: it is made when a list first
    /// asks for it. Made then, or kept up change by change once made, it is the order made at once;
    /// a copy of the state that shared it keeps the order of its own caseload.
    @Test func theManagersListOrderIsMadeWhenFirstAskedForAndKeptRight() {
        let day = Day(year: 2026, month: 11, day: 22) ?? Day(dayNumber: 0)
        let caseload = DemoCaseload.large(700, today: day)
        var unit = UnitContext(me: "chef", kind: .chef, names: [:], covers: [],
                               owners: Dictionary(uniqueKeysWithValues: caseload.clients.enumerated().map { ($1.id, $0 % 2 == 0 ? "h1" : "h2") }))
        unit.handlaggare = ["h1", "h2"]
        for askFirst in [false, true] {
            var state = AppState(caseload: caseload, today: day, unit: unit)
            #expect(state.screen == .unit && !state.itemsMade)
            let frame = render(state).text
            #expect(frame.contains("Enheten") && !state.itemsMade, "\(frame)")
            if askFirst { #expect(state.items == AppState(caseload: caseload, today: day).items) }
            let before = state
            let old = state.caseload
            for index in [3, 100, 640] {
                state.caseload.clients[index].reminders.append(Reminder(id: "r\(index)", kind: .manual, due: day.adding(days: index % 50 - 25)))
                state.caseload.clients[index].followUps.removeAll()
            }
            state.recompute(changedFrom: old)
            #expect(state.itemsMade == askFirst)
            #expect(state.items == AppState(caseload: state.caseload, today: day).items)
            #expect(state.items != before.items)
            #expect(before.items == AppState(caseload: old, today: day).items)
            // Entering a list makes it and shows it.
            press(&state, .character("1"))
            #expect(state.itemsMade && state.screen == .overview)
        }
        #expect(AppState(caseload: caseload, today: day).itemsMade)
    }

    /// The lists hold items without the rules' reasons; the case screen's items with reasons are
    /// the same items in the same order, reasons aside, and every rule item there has its reason.
    @Test func theCaseScreensItemsAreTheListsItemsWithTheirReasons() {
        var random = SeededRandom(seed: 61)
        let day = Day(year: 2026, month: 3, day: 2) ?? Day(dayNumber: 0)
        var caseload = DemoCaseload.large(400, today: day)
        caseload.clients += DemoCaseload.make(today: day).clients
        for round in 0..<200 { caseload.clients += Fuzz.caseload(&random, clients: 1 + round % 3).clients }
        for (index, client) in caseload.clients.enumerated() { caseload.clients[index].id = "\(client.id)-\(index)" }
        let state = AppState(caseload: caseload, today: day)
        var compared = 0
        for client in state.caseload.clients {
            let listed = state.items.filter { $0.clientID == client.id }
            let shown = state.itemsWithReasons(for: client)
            #expect(listed.count == shown.count, "\(client.id)")
            for (bare, full) in zip(listed, shown) {
                var plain = full
                plain.reason = bare.reason
                #expect(plain == bare, "\(client.id)")
                if bare.kind != .manual && bare.reminderID == nil {
                    #expect(bare.reason.isEmpty)
                    #expect(!full.reason.isEmpty, "\(client.id) \(full.kind)")
                }
                compared += 1
            }
        }
        #expect(compared > 2_000, "\(compared)")
        // The case screen shows the reason of each of the open case's items.
        var open = state
        if let client = state.caseload.clients.first(where: { c in state.items.contains { $0.clientID == c.id && !$0.isDone && $0.kind == .decisionEnding } }) {
            open.openClientID = client.id
            let text = open.caseDetailLines.map(\.text).joined(separator: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(text.contains("dagar före slutet."), "\(text)")
        } else {
            Issue.record("no person with a decision ending")
        }
    }
}

/// A terminal that waits on the loop's wake descriptor as the ncurses backend does, for up to
/// ten seconds, and counts the waits a posted message ended.
struct WakingBackend: TerminalBackend {
    var keys: [Key]
    var frames: [CellBuffer] = []
    var size: (width: Int, height: Int) = (80, 24)
    var woken = 0
    var waited = 0

    mutating func draw(_ buffer: CellBuffer) { frames.append(buffer) }
    mutating func copyToClipboard(_ text: String) {}
    mutating func terminationRequested() -> Bool { waited > 5 }

    mutating func nextEvent(timeoutMilliseconds: Int) -> BackendEvent {
        keys.isEmpty ? .key(.character("q")) : .key(keys.removeFirst())
    }

    mutating func nextEvent(timeoutMilliseconds: Int, wakeDescriptor: Int32) -> BackendEvent {
        if !keys.isEmpty { return .key(keys.removeFirst()) }
        if waited == 0 {
            waited += 1
            var wait = pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0)
            if poll(&wait, 1, 10_000) > 0 { woken += 1 }
            return .timeout
        }
        waited += 1
        return .key(.character("q"))
    }
}

/// Issue 36, item 3: background work comes back through one inbox that wakes the loop.
@Suite struct InboxTests {
    @Test func aPostedMessageWakesTheWaitAndComesOutInOrder() {
        let inbox = Inbox()
        var idle = pollfd(fd: inbox.wakeDescriptor, events: Int16(POLLIN), revents: 0)
        #expect(poll(&idle, 1, 0) == 0)
        inbox.post(.importProgress(done: 1, total: 3))
        inbox.post(.importProgress(done: 2, total: 3))
        var ready = pollfd(fd: inbox.wakeDescriptor, events: Int16(POLLIN), revents: 0)
        #expect(poll(&ready, 1, 0) == 1)
        let taken = inbox.drain().map { message -> Int in
            if case .importProgress(let done, _) = message { return done }
            return -1
        }
        #expect(taken == [1, 2] && inbox.drain().isEmpty)
        // Drained, the descriptor is quiet again.
        var quiet = pollfd(fd: inbox.wakeDescriptor, events: Int16(POLLIN), revents: 0)
        #expect(poll(&quiet, 1, 0) == 0)
    }

    /// A save made in the background wakes the loop's wait for a key: its outcome is on the
    /// screen without a key or a tick (the fake waits ten seconds otherwise, and counts).
    @Test func aSaveOutcomeWakesTheLoopWithoutAKey() throws {
        let (store, folder) = try LoopTests().store()
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = AppState(caseload: try store.load() ?? Caseload(), today: today)
        var loop = AppLoop(state: state, backend: WakingBackend(keys: [.character("3"), .character("d")]),
                           saver: Saver(store: store), clock: { Date() }, currentDay: nil)
        let allSaved = loop.run()
        #expect(allSaved)
        #expect(loop.backend.woken == 1)
        if case .saved = loop.state.saveState {} else { Issue.record("not saved: \(loop.state.saveState)") }
    }

    /// Opening a case is an effect `reduce` returns, once per opening.
    @Test func openingACaseIsAnEffectOncePerOpening() {
        var state = demoState()
        let opened = press(&state, .character("4"), .enter)
        let id = state.openClientID ?? ""
        #expect(opened.contains(.recordOpen(clientID: id, what: "ärende")))
        let moved = press(&state, .down)
        #expect(!moved.contains { if case .recordOpen = $0 { true } else { false } })
        press(&state, .escape)
        let again = press(&state, .enter)
        #expect(again.contains(.recordOpen(clientID: id, what: "ärende")))
    }
}
