import BevakaTestSupport
import Foundation
import Testing
@testable import BevakaUI

/// Issue 26: a deleted snapshot must not pass unseen. Under CI a missing snapshot is a failure
/// and nothing is written; on a developer's machine it is recorded; RECORD_SNAPSHOTS=1 records.
@Suite struct SnapshotCheckTests {
    @Test func aMissingSnapshotFailsUnderCIAndIsRecordedElsewhere() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-snap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("skarm.txt")
        #expect(try snapshotCheck("rad", at: url, environment: ["CI": "true"]) == .missing)
        #expect(!FileManager.default.fileExists(atPath: url.path))
        #expect(try snapshotCheck("rad", at: url, environment: [:]) == .recorded)
        #expect(try snapshotCheck("rad", at: url, environment: ["CI": "true"]) == .matches)
        #expect(try snapshotCheck("annan rad", at: url, environment: ["CI": "true"]) == .differs(expected: "rad"))
        #expect(try snapshotCheck("annan rad", at: url, environment: ["CI": "true", "RECORD_SNAPSHOTS": "1"]) == .recorded)
        #expect(try String(contentsOf: url, encoding: .utf8) == "annan rad")
    }
}
