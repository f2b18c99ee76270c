import Foundation

/// The streaming readers of a workbook's parts (SAX over `XMLScanner`): no tree of a sheet is
/// held, only its cells' values. Element and attribute names are matched by their local names,
/// so a writer's namespace prefixes (`x:row`) do not matter.
/// A reader that may stop on purpose, and says why.
protocol StopsWithReason: AnyObject {
    var problem: String? { get }
}

extension XlsxWorkbook {
    /// An attribute by its local name (`r:id` → `id`).
    static func attribute(_ attributes: [String: String], _ name: String) -> String? {
        if let value = attributes[name] { return value }
        return attributes.first { key, _ in key.hasSuffix(":" + name) }?.value
    }

    static func localName(_ name: String) -> Substring {
        name.split(separator: ":").last ?? Substring(name)
    }

    /// Reads the XML into `events`. A part that is not well-formed XML (cut off, garbage, an
    /// entity declaration) refuses the whole workbook, naming the part and the line: a list read
    /// in part would be saved as if it were whole (issue 35, item 2). Every part must be UTF-8,
    /// as Excel and LibreOffice write them.
    /// `program` is the one that wrote the file, named in what to do ("spara den på nytt i Excel").
    static func run(_ data: Data, _ events: XMLEvents, part: String, program: String = "Excel") throws(ReadError) {
        let bytes = [UInt8](data)
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw ReadError(message: "En del av filen (\(part)) är inte giltig UTF-8 (filen är skadad); spara den på nytt i \(program).")
        }
        // A DOCTYPE may declare entities (billion laughs): no part a spreadsheet program writes has one.
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!ENTITY".utf8)) != nil {
            throw ReadError(message: "Filen är skadad eller gjord för att lura: \(part) har en DOCTYPE/ENTITY-deklaration, "
                + "som \(program) aldrig skriver. Ingenting är inläst; spara listan på nytt i \(program).")
        }
        // No part Excel or LibreOffice writes has a tag with more than a few attributes (one with
        // 300,000 took Foundation's parser 39 s; it is refused as the attack it is).
        if let many = mostAttributes(data), many > maxAttributes {
            throw ReadError(message: "Filen är skadad eller gjord för att lura: \(part) har en tagg med \(many) attribut "
                + "(\(program) skriver högst några få). Ingenting är inläst.")
        }
        do {
            try XMLScanner.scan(bytes, into: events)
        } catch {
            if error.cut {
                throw ReadError(message: "Filen är skadad: \(part) tar slut mitt i (rad \(error.line) i XML-filen). "
                    + "Ingenting är inläst; öppna filen i \(program) och spara den på nytt.")
            }
            throw ReadError(message: "Filen är skadad: \(part), rad \(error.line) i XML-filen, går inte att läsa. "
                + "Ingenting är inläst; öppna filen i \(program) och spara den på nytt.")
        }
        // A reader that stopped on purpose (a list over the row limit) says why.
        if events.stop, let stopped = (events as? StopsWithReason)?.problem { throw ReadError(message: stopped) }
    }

    /// More attributes than this in one tag refuse the part.
    static let maxAttributes = 200

    /// The most attributes any one tag has (its `=` signs outside quotes), in one linear pass.
    static func mostAttributes(_ data: Data) -> Int? {
        var most = 0, count = 0
        var inTag = false
        var quote: UInt8 = 0
        for byte in data {
            if quote != 0 {
                if byte == quote { quote = 0 }
                continue
            }
            switch byte {
            case UInt8(ascii: "<"): inTag = true; count = 0
            case UInt8(ascii: ">"): if inTag { most = max(most, count) }; inTag = false
            case UInt8(ascii: "\""), UInt8(ascii: "'"): if inTag { quote = byte }
            case UInt8(ascii: "="): if inTag { count += 1 }
            default: break
            }
        }
        return most
    }

    // MARK: xl/workbook.xml

    enum WorkbookParser {
        struct SheetEntry {
            var name: String
            var relation: String
            var index: Int
        }

        final class Delegate: XMLEvents {
            var stop = false
            var sheets: [SheetEntry] = []
            var date1904 = false
            func start(_ elementName: String, _ attributes: [String: String]) {
                switch XlsxWorkbook.localName(elementName) {
                case "sheet":
                    sheets.append(SheetEntry(name: XlsxWorkbook.attribute(attributes, "name") ?? "Blad\(sheets.count + 1)",
                                             relation: XlsxWorkbook.attribute(attributes, "id") ?? "", index: sheets.count))
                case "workbookPr":
                    let value = XlsxWorkbook.attribute(attributes, "date1904") ?? ""
                    date1904 = value == "1" || value.lowercased() == "true"
                default:
                    break
                }
            }
        }

        static func parse(_ data: Data, part: String) throws(ReadError) -> (sheets: [SheetEntry], date1904: Bool) {
            let delegate = Delegate()
            try XlsxWorkbook.run(data, delegate, part: part)
            return (delegate.sheets, delegate.date1904)
        }
    }

    // MARK: xl/_rels/workbook.xml.rels

    enum RelationsParser {
        final class Delegate: XMLEvents {
            var stop = false
            var targets: [String: String] = [:]
            func start(_ elementName: String, _ attributes: [String: String]) {
                guard XlsxWorkbook.localName(elementName) == "Relationship",
                      let id = attributes["Id"], let target = attributes["Target"] else { return }
                targets[id] = target
            }
        }

        static func parse(_ data: Data, part: String) throws(ReadError) -> [String: String] {
            let delegate = Delegate()
            try XlsxWorkbook.run(data, delegate, part: part)
            return delegate.targets
        }
    }

    // MARK: xl/sharedStrings.xml

    enum SharedStringsParser {
        /// Each `<si>`: its `<t>`, or its rich text runs' `<t>` joined; phonetic runs (`<rPh>`) left out.
        final class Delegate: XMLEvents {
            var stop = false
            var strings: [String] = []
            var current = ""
            var inText = false
            var inPhonetic = false
            func start(_ elementName: String, _ attributes: [String: String]) {
                switch XlsxWorkbook.localName(elementName) {
                case "si": current = ""
                case "t": inText = !inPhonetic
                case "rPh": inPhonetic = true
                default: break
                }
            }
            func end(_ elementName: String) {
                switch XlsxWorkbook.localName(elementName) {
                case "si": strings.append(current)
                case "t": inText = false
                case "rPh": inPhonetic = false
                default: break
                }
            }
            func characters(_ string: String) {
                if inText { current += string }
            }
        }

        static func parse(_ data: Data, part: String) throws(ReadError) -> [String] {
            let delegate = Delegate()
            try XlsxWorkbook.run(data, delegate, part: part)
            return delegate.strings
        }
    }

    // MARK: xl/styles.xml

    enum StylesParser {
        struct Result {
            /// By cell style index (`s` of a cell): whether its number format shows a date.
            var dateStyles: Set<Int> = []
        }

        final class Delegate: XMLEvents {
            var stop = false
            var custom: [Int: String] = [:]
            var cellFormats: [Int] = []
            var inCellXfs = false
            func start(_ elementName: String, _ attributes: [String: String]) {
                switch XlsxWorkbook.localName(elementName) {
                case "numFmt":
                    if let id = XlsxWorkbook.attribute(attributes, "numFmtId").flatMap({ Int($0) }),
                       let code = XlsxWorkbook.attribute(attributes, "formatCode") {
                        custom[id] = code
                    }
                case "cellXfs": inCellXfs = true
                case "xf" where inCellXfs:
                    cellFormats.append(XlsxWorkbook.attribute(attributes, "numFmtId").flatMap { Int($0) } ?? 0)
                default: break
                }
            }
            func end(_ elementName: String) {
                if XlsxWorkbook.localName(elementName) == "cellXfs" { inCellXfs = false }
            }
        }

        static func parse(_ data: Data, part: String) throws(ReadError) -> Result {
            let delegate = Delegate()
            try XlsxWorkbook.run(data, delegate, part: part)
            var result = Result()
            for (index, format) in delegate.cellFormats.enumerated() where XlsxWorkbook.isDateFormat(format, code: delegate.custom[format]) {
                result.dateStyles.insert(index)
            }
            return result
        }
    }

    /// Whether a number format shows a date: the built-in ids 14–22 and 45–47, or a format code
    /// with d, y or å (or m without h or s, which would make it minutes) outside quoted text,
    /// brackets (colours, locales, elapsed time) and escaped characters.
    static func isDateFormat(_ id: Int, code: String?) -> Bool {
        if (14...22).contains(id) || (45...47).contains(id) { return true }
        guard let code else { return false }
        var plain = ""
        var inQuote = false, inBracket = false, escaped = false
        for character in code {
            if escaped { escaped = false; continue }
            if inQuote { if character == "\"" { inQuote = false }; continue }
            if inBracket { if character == "]" { inBracket = false }; continue }
            switch character {
            case "\"": inQuote = true
            case "[": inBracket = true
            case "\\", "_", "*": escaped = true
            default: plain.append(contentsOf: character.lowercased())
            }
        }
        // Only the first section (positive numbers) decides.
        let section = plain.split(separator: ";", omittingEmptySubsequences: false).first.map(String.init) ?? plain
        if section.contains("d") || section.contains("y") || section.contains("å") || section.contains("e") && section.contains("b") { return true }
        return section.contains("m") && !section.contains("h") && !section.contains("s")
    }

    // MARK: xl/worksheets/sheetN.xml

    /// At most this many rows in a list (no caseload comes near it; docs/import-format.md).
    public static let rowLimit = 100_000
    static let rowLimitText = "100 000"
    /// Excel's own limit for the characters of one cell.
    public static let cellLimit = 32_767

    enum SheetParser {
        final class Delegate: XMLEvents, StopsWithReason {
            var stop = false
            let shared: [String]
            let styles: StylesParser.Result
            var rows: [Row] = []
            var hiddenColumns: Set<Int> = []
            var merged: [(rows: ClosedRange<Int>, columns: ClosedRange<Int>, text: String)] = []
            // The row and cell being read.
            var row: Row?
            var nextRow = 1
            var column = 0
            var nextColumn = 0
            var type = ""
            var style = 0
            var value: String?
            var inline = ""
            var hasFormula = false
            var collecting: Collecting = .none
            enum Collecting { case none, value, inlineText, formula }
            var inInline = false
            var inPhonetic = false
            /// The first thing in the sheet that no spreadsheet program writes (a cell twice, rows
            /// going back): the sheet is refused with it (issue 35, item 4).
            var problem: String?
            var lastRow = 0
            var stoppedByLimit = false

            init(shared: [String], styles: StylesParser.Result) {
                self.shared = shared
                self.styles = styles
            }

            func start(_ elementName: String, _ attributes: [String: String]) {
                switch XlsxWorkbook.localName(elementName) {
                case "row":
                    let number = XlsxWorkbook.attribute(attributes, "r").flatMap { Int($0) } ?? nextRow
                    if number <= lastRow, problem == nil {
                        problem = "rad \(number) står efter rad \(lastRow) (raderna går bakåt)"
                    }
                    // Over the row limit: stop reading at once (the rest is never held).
                    if rows.count >= XlsxWorkbook.rowLimit {
                        problem = "Listan har fler än \(XlsxWorkbook.rowLimitText) rader, "
                            + "mer än någon ärendelista; dela upp den eller ta bort raderna som inte hör dit. Ingenting är inläst."
                        stoppedByLimit = true
                        stop = true
                        return
                    }
                    lastRow = max(lastRow, number)
                    let hidden = XlsxWorkbook.attribute(attributes, "hidden").map { $0 == "1" || $0 == "true" } ?? false
                    row = Row(number: number, cells: [:], hidden: hidden)
                    nextRow = number + 1
                    nextColumn = 0
                case "c":
                    column = XlsxWorkbook.attribute(attributes, "r").flatMap { XlsxWorkbook.reference($0)?.column } ?? nextColumn
                    nextColumn = column + 1
                    type = XlsxWorkbook.attribute(attributes, "t") ?? "n"
                    style = XlsxWorkbook.attribute(attributes, "s").flatMap { Int($0) } ?? 0
                    value = nil
                    inline = ""
                    hasFormula = false
                case "v":
                    collecting = .value
                    value = ""
                case "f":
                    hasFormula = true
                    collecting = .formula
                case "is":
                    inInline = true
                case "rPh":
                    inPhonetic = true
                case "t" where inInline && !inPhonetic:
                    collecting = .inlineText
                case "col":
                    let hidden = XlsxWorkbook.attribute(attributes, "hidden").map { $0 == "1" || $0 == "true" } ?? false
                    if hidden, let min = XlsxWorkbook.attribute(attributes, "min").flatMap({ Int($0) }),
                       let max = XlsxWorkbook.attribute(attributes, "max").flatMap({ Int($0) }), min >= 1, max >= min {
                        for index in (min - 1)..<Swift.min(max, 16_384) { hiddenColumns.insert(index) }
                    }
                case "mergeCell":
                    if let ref = XlsxWorkbook.attribute(attributes, "ref") {
                        let ends = ref.split(separator: ":").compactMap { XlsxWorkbook.reference(String($0)) }
                        if ends.count == 2 {
                            merged.append((min(ends[0].row, ends[1].row)...max(ends[0].row, ends[1].row),
                                           min(ends[0].column, ends[1].column)...max(ends[0].column, ends[1].column), ref))
                        }
                    }
                default:
                    break
                }
            }

            func end(_ elementName: String) {
                switch XlsxWorkbook.localName(elementName) {
                case "v", "f": collecting = .none
                case "t": if collecting == .inlineText { collecting = .none }
                case "is": inInline = false
                case "rPh": inPhonetic = false
                case "c": finishCell()
                case "row":
                    if let row, !row.cells.isEmpty || row.hidden { rows.append(row) }
                    row = nil
                default: break
                }
            }

            func characters(_ string: String) {
                switch collecting {
                case .value: value = (value ?? "") + string
                case .inlineText: inline += string
                case .formula, .none: break
                }
            }

            private func finishCell() {
                let cell: Cell?
                switch type {
                case "s":
                    if let index = value.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), index >= 0, index < shared.count {
                        cell = .text(shared[index])
                    } else {
                        cell = value == nil ? nil : .error("#REF!")
                    }
                case "inlineStr":
                    cell = .text(inline)
                case "str":
                    cell = value.map { .text($0) } ?? (hasFormula ? .formulaWithoutValue : nil)
                case "b":
                    cell = value.map { .bool($0.trimmingCharacters(in: .whitespaces) == "1") } ?? (hasFormula ? .formulaWithoutValue : nil)
                case "e":
                    cell = .error(value ?? "#N/A")
                case "d":
                    // An ISO 8601 date written as such (rare; Excel 2010+ strict files).
                    cell = value.map { .text(String($0.prefix(10))) }
                default:
                    if let raw = value?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
                        if let number = Double(raw), number.isFinite {
                            cell = .number(number, raw: raw, date: styles.dateStyles.contains(style))
                        } else {
                            cell = .error("#VALUE!")
                        }
                    } else {
                        cell = hasFormula ? .formulaWithoutValue : nil
                    }
                }
                if let cell, let number = row?.number {
                    if row?.cells[column] != nil, problem == nil {
                        problem = "cellen \(XlsxWorkbook.letters(column))\(number) finns två gånger"
                    }
                    if case .text(let text) = cell, text.count > XlsxWorkbook.cellLimit, problem == nil {
                        problem = "cellen \(XlsxWorkbook.letters(column))\(number) har \(text.count) tecken, fler än Excels gräns \(XlsxWorkbook.cellLimit)"
                    }
                    row?.cells[column] = cell
                }
            }
        }

        static func parse(_ data: Data, part: String, shared: [String], styles: StylesParser.Result) throws(ReadError) -> Sheet {
            let delegate = Delegate(shared: shared, styles: styles)
            try XlsxWorkbook.run(data, delegate, part: part)
            if let problem = delegate.problem, !delegate.stoppedByLimit {
                throw ReadError(message: "Arbetsboken är skadad: i \(part) \(problem), vilket Excel aldrig skriver. "
                    + "Ingenting är inläst; öppna filen i Excel och spara den på nytt.")
            }
            return Sheet(name: "", rows: delegate.rows, hiddenColumns: delegate.hiddenColumns, merged: delegate.merged, date1904: false)
        }
    }
}
