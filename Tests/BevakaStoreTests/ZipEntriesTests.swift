import BevakaTestSupport
import BevakaDomain
import Foundation
import Testing
import ZIPFoundation
@testable import BevakaStore

/// The workbook's ZIP read by Bevaka's bounded reader, with ZIPFoundation's `Archive` as the
/// reference for every well-formed workbook, and the damaged shape that made `Archive` loop for
/// ever (a deflate stream that ends before its end marker).
@Suite struct ZipEntriesTests {
    func parts(_ bytes: [UInt8]) throws -> [String: Data] {
        let zip = try ZipEntries(bytes)
        var parts: [String: Data] = [:]
        for entry in zip.entries {
            var data = Data()
            try zip.extract(entry) { data.append($0) }
            parts[entry.path] = data
        }
        return parts
    }

    @Test func everyFixtureAndAGeneratedWorkbookReadAsZIPFoundationReadsThem() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/xlsx")
        var workbooks = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".xlsx") }
            .map { [UInt8](try Data(contentsOf: folder.appendingPathComponent($0))) }
        #expect(workbooks.count == 8)
        let csv = CaseloadExport.csv(DemoCaseload.large(500, today: today)).text
        workbooks.append([UInt8](try XlsxWorkbook.make(rows: try CSVReader.records(String(csv.dropFirst()), separator: ";").map(\.fields))))
        for bytes in workbooks {
            let mine = try parts(bytes)
            let reference = try XlsxFuzz.parts(of: Data(bytes))  // ZIPFoundation's Archive
            #expect(!mine.isEmpty && mine == reference)
        }
    }

    /// The sheet's compressed size in the directory made smaller than its stream: the stream
    /// runs out before its end marker. Refused at once, never a loop (bounded here by a thread
    /// and a 20-second wait, so a regression fails instead of hanging).
    @Test func aStreamThatEndsEarlyIsRefusedNotLoopedOn() throws {
        let csv = CaseloadExport.csv(DemoCaseload.large(200, today: today)).text
        var bytes = [UInt8](try XlsxWorkbook.make(rows: try CSVReader.records(String(csv.dropFirst()), separator: ";").map(\.fields)))
        let zip = try ZipEntries(bytes)
        let sheet = try #require(zip["xl/worksheets/sheet1.xml"])
        #expect(sheet.compressedSize > 1000)
        // The central directory entry of the sheet: its compressed size (offset 20) halved.
        var at = 0
        while at + 46 < bytes.count {
            if bytes[at] == 0x50, bytes[at + 1] == 0x4B, bytes[at + 2] == 0x01, bytes[at + 3] == 0x02,
               String(decoding: bytes[(at + 46)..<(at + 46 + 24)], as: UTF8.self) == "xl/worksheets/sheet1.xml" { break }
            at += 1
        }
        let half = UInt32(sheet.compressedSize / 2)
        for index in 0..<4 { bytes[at + 20 + index] = UInt8(truncatingIfNeeded: half >> (8 * UInt32(index))) }
        let input = bytes
        let done = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        Thread.detachNewThread {
            var caseload = Caseload()
            do throws(CaseloadImport.FileError) {
                _ = try CaseloadImport.run(input, into: &caseload, routines: .standard, today: today, startAssumption: .fromStart)
                outcome.set("read")
            } catch {
                outcome.set(error.message)
            }
            done.signal()
        }
        guard done.wait(timeout: .now() + 20) == .success else {
            Issue.record("a workbook whose stream ends early was still being read after 20 s")
            return
        }
        #expect(outcome.get().contains("är trasig"), "\(outcome.get())")
    }

    final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        func set(_ value: String) { lock.lock(); text = value; lock.unlock() }
        func get() -> String { lock.lock(); defer { lock.unlock() }; return text }
    }
}
