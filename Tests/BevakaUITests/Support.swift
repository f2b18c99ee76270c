import BevakaDomain
import Foundation
import Testing
@testable import BevakaUI

func d(_ text: String) -> Day {
    guard let day = Day(iso: text) else { fatalError("bad test date \(text)") }
    return day
}

let today = d("2026-11-22")

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

/// Compares a rendering with `Snapshots/<name>.txt`; records it when missing or RECORD_SNAPSHOTS=1.
func assertSnapshot(_ buffer: CellBuffer, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots").appendingPathComponent("\(name).txt")
    let actual = buffer.text
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" || !FileManager.default.fileExists(atPath: url.path) {
        try Data(actual.utf8).write(to: url)
        return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(actual == expected, "snapshot \(name) differs; RECORD_SNAPSHOTS=1 re-records", sourceLocation: sourceLocation)
}
