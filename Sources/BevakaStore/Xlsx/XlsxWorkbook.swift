import BevakaDomain
import Foundation

/// An Excel workbook (`.xlsx`, Office Open XML) read for the import: the ZIP by ZIPFoundation,
/// each part's XML by the streaming `XMLScanner`. Only what a list needs is read: the
/// sheets' names, shared strings, the cells' number formats (to know a date from a number) and
/// one sheet's cells, hidden rows and columns, and merged ranges.
public enum XlsxWorkbook {
    /// What a cell holds, as Excel means it.
    enum Cell: Equatable {
        case text(String)
        /// A number and whether its format shows it as a date.
        case number(Double, raw: String, date: Bool)
        case bool(Bool)
        /// An error value (`#N/A`, `#REF!` …).
        case error(String)
        /// A formula saved without its value (the file was written by a program that does not
        /// calculate).
        case formulaWithoutValue
    }

    struct Row {
        /// Excel's row number (1-based), as the user sees it.
        var number: Int
        /// By column index (0 = A).
        var cells: [Int: Cell]
        var hidden: Bool

        /// One past the last column with a cell.
        var width: Int { (cells.keys.max() ?? -1) + 1 }
        /// Whether any cell holds text (a row of empty cells is skipped like an empty row).
        var hasText: Bool { cells.values.contains { !XlsxWorkbook.text($0).isEmpty } }
        /// The cells as plain text, column by column (for the header).
        var texts: [String] { (0..<width).map { cells[$0].map(XlsxWorkbook.text) ?? "" } }
    }

    struct Sheet {
        var name: String
        var rows: [Row]
        var hiddenColumns: Set<Int>
        /// Merged ranges: (first row, last row, first column, last column), 1-based rows.
        var merged: [(rows: ClosedRange<Int>, columns: ClosedRange<Int>, text: String)]
        var date1904: Bool
    }

    public struct ReadError: Error, Equatable, Sendable {
        public var message: String
    }

    /// At most this much XML is unpacked from a workbook in all (a list of 10,000 people is about
    /// 15 MB); more is refused before it is unpacked, and while unpacking if the sizes lie.
    static let unpackedLimit: UInt64 = 200 << 20
    /// A part may not unpack to more than this many times its packed size (a ZIP bomb does).
    static let ratioLimit: UInt64 = 250

    /// Whether the bytes are a workbook: a ZIP whose directory names `xl/workbook.xml` (by
    /// content, not by the file's name; names stand uncompressed in a ZIP).
    public static func isWorkbook(_ bytes: [UInt8]) -> Bool {
        guard looksLikeZip(bytes) else { return false }
        let needle = Array("xl/workbook.xml".utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            guard buffer.count >= needle.count else { return false }
            for start in 0...(buffer.count - needle.count) where buffer[start] == needle[0] {
                if buffer[start..<(start + needle.count)].elementsEqual(needle) { return true }
            }
            return false
        }
    }

    /// Whether the bytes start like a ZIP (a workbook, perhaps damaged, or another ZIP file).
    static func looksLikeZip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4B && (bytes[2] == 0x03 || bytes[2] == 0x05) && (bytes[3] == 0x04 || bytes[3] == 0x06)
    }

    /// What kind of workbook a sheet came from: named in messages ("spara den på nytt i Excel").
    public enum Format: Sendable, Equatable {
        case xlsx
        case ods

        var program: String { self == .xlsx ? "Excel" : "LibreOffice" }
    }

    /// Reads the sheet named `sheetName`, or else the first sheet whose first non-empty row
    /// `isHeader` accepts (the first sheet when none does, so the message names what is missing).
    /// An `.xlsx` workbook or an OpenDocument spreadsheet (`.ods`), known by its parts.
    static func read(_ bytes: [UInt8], sheetName: String?, isHeader: ([String]) -> Bool) throws(ReadError)
        -> (sheet: Sheet, names: [String], alsoLists: [String], format: Format) {
        let archive = try open(bytes)
        // The whole archive's unpacked size, from its directory, before anything is unpacked.
        var total: UInt64 = 0
        for entry in archive.entries {
            total &+= entry.uncompressedSize
            if entry.uncompressedSize > max(entry.compressedSize, 1) * ratioLimit && entry.uncompressedSize > 1 << 20 {
                throw ReadError(message: "Delen \(TerminalText.sanitize(entry.path)) i filen packas upp till \(entry.uncompressedSize / (1 << 20)) MB från \(entry.compressedSize / 1024) kB; en sådan fil läses inte (den kan vara gjord för att fylla minnet).")
            }
        }
        if total > unpackedLimit {
            throw ReadError(message: "Filen packas upp till \(total / (1 << 20)) MB, mer än de \(unpackedLimit / (1 << 20)) MB en lista kan behöva; den läses inte.")
        }
        switch try OpenDocument.kind(archive) {
        case .refused(let message)?:
            throw ReadError(message: message)
        case .spreadsheet?:
            let sheets = try OpenDocument.sheets(archive)
            let chosen = try choose(names: sheets.map(\.name), sheetName: sheetName, isHeader: isHeader) { index throws(ReadError) in sheets[index] }
            return (chosen.sheet, sheets.map(\.name), chosen.alsoLists, .ods)
        case nil:
            break
        }
        guard archive["xl/workbook.xml"] != nil else {
            throw ReadError(message: "Filen är en ZIP-fil men ingen arbetsbok: den saknar både xl/workbook.xml (Excel) och content.xml (LibreOffice). "
                + "Spara listan som .xlsx, .ods eller CSV och läs in den igen. Inget har lästs in.")
        }
        let workbookXML = try part(archive, "xl/workbook.xml")
        let workbook = try WorkbookParser.parse(workbookXML, part: "xl/workbook.xml")
        guard !workbook.sheets.isEmpty else { throw ReadError(message: "Arbetsboken har inga blad.") }
        // Without relations the sheets are found by their usual names (sheet1.xml …).
        let relationsXML = archive["xl/_rels/workbook.xml.rels"] == nil ? nil : try part(archive, "xl/_rels/workbook.xml.rels")
        let relations = try relationsXML.map { data throws(ReadError) in try RelationsParser.parse(data, part: "xl/_rels/workbook.xml.rels") } ?? [:]
        let shared = archive["xl/sharedStrings.xml"] == nil ? [] : try SharedStringsParser.parse(try part(archive, "xl/sharedStrings.xml"), part: "xl/sharedStrings.xml")
        let styles = archive["xl/styles.xml"] == nil ? StylesParser.Result() : try StylesParser.parse(try part(archive, "xl/styles.xml"), part: "xl/styles.xml")
        func path(of sheet: WorkbookParser.SheetEntry) -> String {
            var target = relations[sheet.relation] ?? "worksheets/sheet\(sheet.index + 1).xml"
            if target.hasPrefix("/") { target.removeFirst() } else { target = "xl/" + target }
            return target
        }
        let names = workbook.sheets.map(\.name)
        let chosen = try choose(names: names, sheetName: sheetName, isHeader: isHeader) { index throws(ReadError) in
            let entry = workbook.sheets[index]
            let data = try part(archive, path(of: entry))
            var sheet = try SheetParser.parse(data, part: TerminalText.sanitize(path(of: entry)), shared: shared, styles: styles)
            sheet.name = entry.name
            sheet.date1904 = workbook.date1904
            return sheet
        }
        return (chosen.sheet, names, chosen.alsoLists, .xlsx)
    }

    /// The sheet named `sheetName`, or the first sheet with the header in its first rows (under a
    /// title row or two); any later sheet that also has the columns is named, never left out
    /// without a word. None has the columns: the first, whose header the import then names as
    /// lacking them.
    static func choose(names: [String], sheetName: String?, isHeader: ([String]) -> Bool,
                       load: (Int) throws(ReadError) -> Sheet) throws(ReadError) -> (sheet: Sheet, alsoLists: [String]) {
        guard !names.isEmpty else { throw ReadError(message: "Arbetsboken har inga blad.") }
        if let sheetName {
            guard let index = names.firstIndex(of: sheetName) ?? names.firstIndex(where: { $0.lowercased() == sheetName.lowercased() }) else {
                throw ReadError(message: "Arbetsboken har inget blad som heter \"\(TerminalText.sanitize(sheetName))\"; bladen är: \(names.map { TerminalText.sanitize($0) }.joined(separator: ", ")).")
            }
            return (try load(index), [])
        }
        var first: Sheet?
        var chosen: Sheet?
        var also: [String] = []
        for index in names.indices {
            let sheet = try load(index)
            if first == nil { first = sheet }
            let texts = sheet.rows.lazy.filter(\.hasText).prefix(CSVReader.headerSearchRows).map(\.texts)
            guard CSVReader.headerIndex(Array(texts), isHeader: isHeader) != nil else { continue }
            if chosen == nil { chosen = sheet } else { also.append(sheet.name) }
        }
        if let chosen { return (chosen, also) }
        guard let first else { throw ReadError(message: "Arbetsboken har inga blad.") }
        return (first, [])
    }

    /// The ZIP's directory, every offset and size checked (`ZipEntries`).
    static func open(_ bytes: [UInt8]) throws(ReadError) -> ZipEntries {
        do {
            return try ZipEntries(bytes)
        } catch {
            throw ReadError(message: "Filen ser ut som en arbetsbok (.xlsx eller .ods, en ZIP) men går inte att öppna; den är trasig eller inte helt nedladdad. Spara den på nytt i Excel eller LibreOffice.")
        }
    }

    /// A cell as plain text (for finding the header).
    static func text(_ cell: Cell) -> String {
        switch cell {
        case .text(let value): return value
        case .number(_, let raw, _): return raw
        case .bool(let value): return value ? "ja" : "nej"
        case .error(let value): return value
        case .formulaWithoutValue: return ""
        }
    }

    /// One part of the archive, unpacked with its size counted as it comes (a directory that
    /// lies about sizes is caught here).
    static func part(_ archive: ZipEntries, _ path: String, program: String = "Excel") throws(ReadError) -> Data {
        guard let entry = archive[path] else {
            throw ReadError(message: "Filen saknar delen \(TerminalText.sanitize(path)); spara den på nytt i \(program).")
        }
        var data = Data()
        do {
            try archive.extract(entry) { chunk in
                if UInt64(data.count + chunk.count) > unpackedLimit { throw ReadError(message: "") }
                data.append(chunk)
            }
        } catch .refused {
            throw ReadError(message: "Delen \(TerminalText.sanitize(path)) packas upp till mer än \(unpackedLimit / (1 << 20)) MB; filen läses inte.")
        } catch {
            throw ReadError(message: "Delen \(TerminalText.sanitize(path)) i filen är trasig (komprimeringen stämmer inte); spara filen på nytt i \(program).")
        }
        return data
    }

    /// "A", "B", … "Z", "AA": the column letters of index `column` (0-based).
    static func letters(_ column: Int) -> String {
        var value = column + 1
        var result = ""
        while value > 0 {
            let remainder = (value - 1) % 26
            result = String(UnicodeScalar(UInt8(65 + remainder))) + result
            value = (value - 1) / 26
        }
        return result
    }

    /// "C7" → (column 2, row 7); nil for anything else.
    static func reference(_ text: String) -> (column: Int, row: Int)? {
        var column = 0, row = 0, sawLetter = false, sawDigit = false
        for byte in text.utf8 {
            switch byte {
            case 65...90 where !sawDigit:
                column = column * 26 + Int(byte - 64)
                sawLetter = true
                if column > 16_384 { return nil }
            case 97...122 where !sawDigit:
                column = column * 26 + Int(byte - 96)
                sawLetter = true
                if column > 16_384 { return nil }
            case 48...57 where sawLetter:
                row = row * 10 + Int(byte - 48)
                sawDigit = true
                if row > 1_048_576 { return nil }
            case 36:  // "$"
                continue
            default:
                return nil
            }
        }
        guard sawLetter, sawDigit, row > 0 else { return nil }
        return (column - 1, row)
    }
}
