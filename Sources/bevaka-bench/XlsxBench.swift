import BevakaDomain
import BevakaStore
import Foundation
import ZIPFoundation

/// `--xlsx`: the same generated list as CSV and as an Excel workbook (shared strings, as Excel
/// saves one), each read by `bevaka import --dry-run` as a process of its own, alternately;
/// medians, the ratio, each process's peak memory against the workbook's unpacked size, and a
/// check that both give the same store (imported for real, then exported).
func compareXlsxWithCSV(binary: String, sizes: [Int], runs: Int, folder: URL) throws {
    print("bevaka-bench --xlsx: \(runs) körningar per mått (växelvis), median; `bevaka import --dry-run` som egen process")
    print("clients   rows  csv MB  xlsx MB  unpacked MB  csv ms  xlsx ms  xlsx/csv  csv peak MB  xlsx peak MB  peak xlsx/csv  peak/unpacked  same store")
    for size in sizes {
        var caseload = DemoCaseload.large(size, today: today)
        var csv = CaseloadExport.csv(caseload).text
        var records = try CSVReader.records(String(csv.dropFirst()), separator: ";")
        // 0: the largest list the import accepts, the row limit's worth of rows.
        if size == 0 {
            let sample = CaseloadExport.csv(DemoCaseload.large(1_000, today: today)).text
            let perClient = Double(try CSVReader.records(String(sample.dropFirst()), separator: ";").count - 1) / 1_000
            caseload = DemoCaseload.large(Int(Double(XlsxWorkbook.rowLimit) / perClient), today: today)
            while true {
                csv = CaseloadExport.csv(caseload).text
                records = try CSVReader.records(String(csv.dropFirst()), separator: ";")
                if records.count - 1 <= XlsxWorkbook.rowLimit { break }
                caseload.clients.removeLast(max(1, (records.count - 1 - XlsxWorkbook.rowLimit) / 2))
            }
        }
        let workbook = try XlsxWorkbook.make(rows: records.map(\.fields))
        let base = folder.appendingPathComponent("xlsx-\(size)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let csvURL = base.appendingPathComponent("lista.csv"), xlsxURL = base.appendingPathComponent("lista.xlsx")
        try Data(csv.utf8).write(to: csvURL)
        try workbook.write(to: xlsxURL)
        var unpacked: UInt64 = 0
        for entry in try Archive(url: xlsxURL, accessMode: .read, pathEncoding: nil) { unpacked += entry.uncompressedSize }
        var csvTimes: [Double] = [], xlsxTimes: [Double] = []
        var csvPeak = 0.0, xlsxPeak = 0.0
        for run in 0..<runs {
            let store = base.appendingPathComponent("empty-\(run).json").path
            let arguments = ["--store", store, "--today", today.description, "import", "--dry-run"]
            let a = spawnTimed(binary, arguments + [csvURL.path])
            let b = spawnTimed(binary, arguments + [xlsxURL.path])
            guard a.status == 0 && b.status == 0 else {
                // Said and left for a look (the files stay), not a trap.
                fflush(nil)
                print("bevaka import misslyckades (csv \(a.status), xlsx \(b.status)): bevaka \((arguments + [xlsxURL.path]).joined(separator: " "))")
                exit(1)
            }
            csvTimes.append(a.ms)
            xlsxTimes.append(b.ms)
            csvPeak = max(csvPeak, a.peakMB)
            xlsxPeak = max(xlsxPeak, b.peakMB)
        }
        // The same store: both imported for real, then exported.
        func imported(_ file: URL, _ name: String) -> String {
            let store = base.appendingPathComponent(name).path
            _ = spawnTimed(binary, ["--store", store, "--today", today.description, "import", file.path])
            return (try? String(contentsOf: URL(fileURLWithPath: store), encoding: .utf8)) ?? "-"
        }
        let same = imported(csvURL, "from-csv.json") == imported(xlsxURL, "from-xlsx.json")
        // The reader alone: this program reading the workbook into records, less its empty run.
        let helper = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var readerPeak = 0.0, emptyPeak = 0.0
        for _ in 0..<runs {
            readerPeak = max(readerPeak, spawnTimed(helper, ["--read-xlsx", xlsxURL.path]).peakMB)
            emptyPeak = max(emptyPeak, spawnTimed(helper, ["--read-xlsx", "-"]).peakMB)
        }
        let unpackedMB = Double(unpacked) / 1_048_576
        let ratio = median(xlsxTimes) / median(csvTimes)
        var line = String(repeating: " ", count: max(0, 7 - String(caseload.clients.count).count)) + "\(caseload.clients.count)"
        line += fixed(Double(records.count - 1), 7, 0)
        line += fixed(Double(csv.utf8.count) / 1_048_576, 8)
        line += fixed(Double(workbook.count) / 1_048_576, 9)
        line += fixed(unpackedMB, 13)
        line += fixed(median(csvTimes), 8)
        line += fixed(median(xlsxTimes), 9)
        line += fixed(ratio, 10, 2)
        line += fixed(csvPeak, 13)
        line += fixed(xlsxPeak, 14)
        line += fixed(xlsxPeak / csvPeak, 15, 2)
        line += fixed(xlsxPeak / unpackedMB, 15, 2)
        line += "  " + (same ? "ja" : "NEJ")
        print(line)
        fflush(nil)  // each size as it is done, also into a pipe
        print("         the reader alone (workbook → records, no import): peak \(fixed(readerPeak - emptyPeak, 0)) MB above an empty run's \(fixed(emptyPeak, 0)) MB"
              + " = \(fixed((readerPeak - emptyPeak) / unpackedMB, 0, 2)) × the unpacked size")
    }
    print("")
    print("Mål: xlsx ≤ 3 × csv-tiden; toppminne ≤ 2 × csv-inläsningens av samma lista (issue 35). peak/unpacked: för kännedom.")
}

/// `--read-xlsx PATH`: reads the workbook into records and exits (`-`: reads nothing).
func readWorkbookOnly(_ path: String) -> Never {
    if path != "-", let data = FileManager.default.contents(atPath: path) {
        let read = try? XlsxWorkbook.records([UInt8](data), sheetName: nil, isHeader: { _ in true }, personnummerColumn: { _ in 0 })
        print(read?.records.count ?? -1)
    } else {
        print(0)
    }
    exit(0)
}
