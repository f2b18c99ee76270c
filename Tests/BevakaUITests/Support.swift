import BevakaDomain
import BevakaTestSupport
import Foundation
import Testing
@testable import BevakaUI


func demoState(width: Int = 80, height: Int = 24) -> AppState {
    AppState(caseload: DemoCaseload.make(today: today), today: today, width: width, height: height,
             demo: false, storePath: "/tmp/bevaka/caseload.json")
}

@discardableResult
func press(_ state: inout AppState, _ keys: Key...) -> [Effect] {
    var effects: [Effect] = []
    for key in keys { effects += reduce(&state, .key(key)) }
    return effects
}

/// The demo at the first checklist item of the first follow-up in the bevakningar (4), the
/// focus on the checklist.
func checklistState() -> AppState {
    var state = demoState()
    press(&state, .character("4"), .enter, .character("F"), .enter, .enter, .tab)
    return state
}

func type(_ state: inout AppState, _ text: String) {
    for character in text { _ = reduce(&state, .key(.character(character))) }
}

/// Compares a rendering with `Snapshots/<name>.txt`; records it with RECORD_SNAPSHOTS=1, or
/// when it is missing on a developer's machine — but under CI a missing snapshot fails (a
/// deleted snapshot would otherwise pass for ever).
func assertSnapshot(_ buffer: CellBuffer, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots").appendingPathComponent("\(name).txt")
    switch try snapshotCheck(buffer.text, at: url, environment: ProcessInfo.processInfo.environment) {
    case .matches, .recorded:
        break
    case .missing:
        Issue.record("snapshot \(name) is missing; record it with RECORD_SNAPSHOTS=1 and commit it", sourceLocation: sourceLocation)
    case .differs(let expected):
        #expect(buffer.text == expected, "snapshot \(name) differs; RECORD_SNAPSHOTS=1 re-records", sourceLocation: sourceLocation)
    }
}

enum SnapshotOutcome: Equatable {
    case matches, recorded, missing
    case differs(expected: String)
}

/// What a snapshot check finds; writes the file only when recording is asked for
/// (`RECORD_SNAPSHOTS=1`), never as a side effect of a run (issue 36, item 7): a missing
/// snapshot fails on every machine.
func snapshotCheck(_ actual: String, at url: URL, environment: [String: String]) throws -> SnapshotOutcome {
    let exists = FileManager.default.fileExists(atPath: url.path)
    if environment["RECORD_SNAPSHOTS"] == "1" {
        try Data(actual.utf8).write(to: url)
        return .recorded
    }
    guard exists else { return .missing }
    let expected = try String(contentsOf: url, encoding: .utf8)
    return actual == expected ? .matches : .differs(expected: expected)
}

/// Presses `key` until `condition` holds, at most `limit` times; a regression fails the test
/// naming what it waited for instead of hanging CI.
func press(_ state: inout AppState, _ key: Key, until what: String, limit: Int = 60,
           sourceLocation: SourceLocation = #_sourceLocation, _ condition: (AppState) -> Bool) throws {
    for _ in 0..<limit {
        if condition(state) { return }
        press(&state, key)
    }
    if condition(state) { return }
    Issue.record("pressed \(key) \(limit) times and never reached: \(what)", sourceLocation: sourceLocation)
    throw BoundedWait(what: what)
}

struct BoundedWait: Error {
    var what: String
}

/// Opens the booking form for `clientID` and saves it with `date` and `time` (the rest as the
/// form proposes them).
func book(_ state: inout AppState, _ clientID: String, date: String, time: String) {
    state.openBookingForm(clientID, fromChecklist: false)
    press(&state, .ctrl("u"))
    type(&state, date)
    press(&state, .tab, .ctrl("u"))
    type(&state, time)
    press(&state, .ctrl("s"))
}
