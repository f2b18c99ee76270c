import BevakaTestSupport
import Foundation
import Testing
@testable import BevakaUI

/// Issue 26 and 36: a deleted snapshot must not pass unseen, and a run never writes one: a
/// missing snapshot is a failure with or without CI, and nothing is written; only
/// RECORD_SNAPSHOTS=1 records.
@Suite struct SnapshotCheckTests {
    @Test func aMissingSnapshotFailsWithoutRecordSnapshotsAndNothingIsWritten() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-snap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("skarm.txt")
        for environment in [["CI": "true"], [:], ["CI": "false"], ["RECORD_SNAPSHOTS": "0"]] {
            #expect(try snapshotCheck("rad", at: url, environment: environment) == .missing, "\(environment)")
            #expect(!FileManager.default.fileExists(atPath: url.path), "\(environment)")
        }
        #expect(try snapshotCheck("rad", at: url, environment: ["RECORD_SNAPSHOTS": "1"]) == .recorded)
        #expect(try snapshotCheck("rad", at: url, environment: [:]) == .matches)
        #expect(try snapshotCheck("annan rad", at: url, environment: ["CI": "true"]) == .differs(expected: "rad"))
        #expect(try String(contentsOf: url, encoding: .utf8) == "rad")
        #expect(try snapshotCheck("annan rad", at: url, environment: ["CI": "true", "RECORD_SNAPSHOTS": "1"]) == .recorded)
        #expect(try String(contentsOf: url, encoding: .utf8) == "annan rad")
    }
}
