import BevakaDomain
import Foundation

/// A workbook's sheet as the import's records: each cell as the text the CSV import reads, and
/// a cell that cannot be read (an error value, a formula without a value, a date that does not
/// exist) kept as a problem that rejects its row, naming the cell as Excel does.
extension XlsxWorkbook {
    public struct Records: Sendable {
        public var sheet: String
        public var sheets: [String]
        /// The header first, then the rows; `line` is Excel's row number.
        public var records: [CSVReader.Record]
        public var hiddenRows: Int
        public var hiddenColumns: Int
        /// Other sheets that also hold the columns (not read).
        public var alsoLists: [String] = []
        /// An `.xlsx` workbook or an OpenDocument spreadsheet.
        public var format: Format = .xlsx
    }

    /// Reads the workbook into records. `headerColumns` says which of the header's cells are
    /// the import's columns (the personnummer column gets its numbers read back as digits).
    public static func records(_ bytes: [UInt8], sheetName: String?, isHeader: ([String]) -> Bool,
                               personnummerColumn: ([String]) -> Int?) throws(ReadError) -> Records {
        let (sheet, names, also, format) = try read(bytes, sheetName: sheetName, isHeader: isHeader)
        let nonEmpty = sheet.rows.filter(\.hasText)
        // Title rows above the header stay in the records (the import names the header's row);
        // the header itself decides the width, the personnummer column and the merged-cell check.
        let at = CSVReader.headerIndex(nonEmpty.prefix(CSVReader.headerSearchRows).map(\.texts), isHeader: isHeader) ?? 0
        guard nonEmpty.indices.contains(at) else {
            return Records(sheet: sheet.name, sheets: names, records: [], hiddenRows: 0, hiddenColumns: 0, alsoLists: also, format: format)
        }
        let header = nonEmpty[at]
        let titles = nonEmpty.prefix(at).map { CSVReader.Record(line: $0.number, fields: $0.texts) }
        // A merged cell in the header hides which column a value belongs to.
        if let merge = sheet.merged.first(where: { $0.rows.contains(header.number) && $0.columns.count > 1 }) {
            throw ReadError(message: "Rubrikraden (rad \(header.number)) i bladet \"\(TerminalText.sanitize(sheet.name))\" har sammanfogade celler (\(TerminalText.sanitize(merge.text))), så det går inte att veta vilken kolumn som är vilken. \(format == .xlsx ? "Dela upp dem i Excel (Start › Centrera över kolumner av)" : "Dela upp dem i LibreOffice (Format › Sammanfoga celler › Dela celler)") och läs in filen igen. Inget har lästs in.")
        }
        let width = header.width
        let headerFields = header.texts
        let pnrColumn = personnummerColumn(headerFields)
        var records = titles + [CSVReader.Record(line: header.number, fields: headerFields)]
        var hiddenRows = 0
        for row in nonEmpty.dropFirst(at + 1) {
            if row.hidden { hiddenRows += 1 }
            var fields = [String](repeating: "", count: max(width, row.width))
            var problems: [Int: String] = [:]
            for (column, cell) in row.cells {
                switch convert(cell, personnummer: column == pnrColumn, date1904: sheet.date1904, program: format.program) {
                case .success(let value): fields[column] = value
                case .failure(let problem): problems[column] = problem.message
                }
            }
            var record = CSVReader.Record(line: row.number, fields: fields)
            record.cellProblems = problems
            record.columnLetters = true
            records.append(record)
        }
        let hiddenColumns = sheet.hiddenColumns.filter { $0 < width && !headerFields[$0].isEmpty }.count
        return Records(sheet: sheet.name, sheets: names, records: records, hiddenRows: hiddenRows, hiddenColumns: hiddenColumns, alsoLists: also, format: format)
    }

    struct CellProblem: Error {
        var message: String
    }

    /// A cell as the CSV import's text.
    static func convert(_ cell: Cell, personnummer: Bool, date1904: Bool, program: String = "Excel") -> Result<String, CellProblem> {
        switch cell {
        case .text(let value):
            return .success(value)
        case .bool(let value):
            return .success(value ? "ja" : "nej")
        case .error(let value):
            return .failure(CellProblem(message: "cellen har felvärdet \(TerminalText.sanitize(value)); rätta formeln eller värdet i \(program)."))
        case .formulaWithoutValue:
            return .failure(CellProblem(message: "cellen har en formel utan sparat värde (filen är sparad av ett program som inte räknar); öppna och spara den i \(program)."))
        case .number(let number, let raw, let date):
            if personnummer { return personnummerText(number, raw: raw, program: program) }
            if date { return dateText(number, date1904: date1904) }
            return .success(numberText(number, raw: raw))
        }
    }

    /// A personnummer Excel stored as a number: its digits again, with the leading zero a
    /// 10-digit number from the 2000s lost put back. A number Excel rounded is refused.
    static func personnummerText(_ number: Double, raw: String, program: String = "Excel") -> Result<String, CellProblem> {
        guard number >= 0, number < 1e12, number == number.rounded(.towardZero) else {
            return .failure(CellProblem(message: "personnumret är sparat som ett tal som inte går att läsa tillbaka; formatera kolumnen som Text i \(program) och skriv in numret igen."))
        }
        var digits = String(Int64(number))
        if digits.count == 9 || digits.count == 11 { digits = "0" + digits }
        guard digits.count == 10 || digits.count == 12 else {
            return .failure(CellProblem(message: "personnumret är sparat som ett tal med \(digits.count) siffror; formatera kolumnen som Text i \(program) och skriv in numret med 10 eller 12 siffror."))
        }
        return .success(digits)
    }

    /// A date serial as an ISO date: the 1900 system (serial 1 is 1900-01-01, and Excel counts a
    /// 29 February 1900 that never was, serial 60) or the 1904 system (serial 0 is 1904-01-01).
    static func dateText(_ serial: Double, date1904: Bool) -> Result<String, CellProblem> {
        // 20240715 typed into a date cell (Excel and Gnumeric both make these): too large for a
        // serial, and a valid ÅÅÅÅMMDD — that date, as the CSV import reads it (issue 35, 5b).
        if serial.isFinite, serial == serial.rounded(.towardZero), serial >= 19_000_101, serial <= 20_991_231 {
            let whole = Int(serial)
            if let day = Day(year: whole / 10_000, month: (whole / 100) % 100, day: whole % 100) { return .success(day.description) }
        }
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else {
            // Never "20240715.0" in a Swedish sentence: a whole number without decimals, else a decimal comma.
            let shown = serial.isFinite && serial == serial.rounded() && abs(serial) < 1e15
                ? String(Int64(serial)) : String(serial).replacingOccurrences(of: ".", with: ",")
            return .failure(CellProblem(message: "cellen är formaterad som datum men talet \(shown) är inget datum."))
        }
        let whole = Int(serial.rounded(.down))
        let day: Day?
        if date1904 {
            day = Day(year: 1904, month: 1, day: 1)?.adding(days: whole)
        } else if whole == 60 {
            return .failure(CellProblem(message: "cellen har datumet 1900-02-29, som inte finns (Excel räknar 1900 som skottår); skriv rätt datum."))
        } else if whole == 0 {
            return .failure(CellProblem(message: "cellen har datumet 1900-01-00 (talet 0); skriv rätt datum."))
        } else if whole < 60 {
            day = Day(year: 1899, month: 12, day: 31)?.adding(days: whole)
        } else {
            day = Day(year: 1899, month: 12, day: 30)?.adding(days: whole)
        }
        guard let day else { return .failure(CellProblem(message: "cellen har ett datum som inte går att läsa.")) }
        return .success(day.description)
    }

    /// A number as the CSV import reads one: whole numbers without decimals, others with a
    /// decimal comma (as Swedish Excel writes them).
    static func numberText(_ number: Double, raw: String) -> String {
        if number == number.rounded(.towardZero), abs(number) < 1e15 { return String(Int64(number)) }
        var text = String(number)
        if text.contains("e") || text.contains("E") { text = raw }
        return text.replacingOccurrences(of: ".", with: ",")
    }
}
