import BevakaDomain
import Foundation

/// LibreOffice's own format, the OpenDocument spreadsheet (`.ods`, ISO/IEC 26300): a ZIP whose
/// `mimetype` names it and whose `content.xml` holds every sheet. Read into the same sheets as an
/// `.xlsx` workbook, with the same checks (issue 35, item 5): any XML error refuses the file,
/// a list over the row limit or a cell over Excel's character limit is refused, and the cells a
/// `number-columns-repeated` or `number-rows-repeated` would multiply are counted before they are
/// made, so a small file cannot unfold into millions of cells.
extension XlsxWorkbook {
    enum OpenDocument {
        static let spreadsheetType = "application/vnd.oasis.opendocument.spreadsheet"
        /// At most this many filled cells in all (a list of 100,000 rows of 30 columns); more,
        /// made by repetition, is refused before it is made.
        static let cellLimit = 3_000_000
        /// No spreadsheet program has more columns than Excel's 16,384.
        static let columnLimit = 16_384

        /// What an OpenDocument ZIP is: nil when it is not one (no `mimetype` part), the
        /// spreadsheet's own message when it cannot be read as a list.
        enum Kind {
            case spreadsheet
            case refused(String)
        }

        static func kind(_ archive: ZipEntries) throws(ReadError) -> Kind? {
            guard let entry = archive["mimetype"], entry.uncompressedSize < 200 else { return nil }
            let type = String(decoding: try XlsxWorkbook.part(archive, "mimetype", program: "LibreOffice"), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard type.hasPrefix("application/vnd.oasis.opendocument.") else { return nil }
            guard type.hasPrefix(spreadsheetType) else {
                return .refused("Filen är ett OpenDocument-dokument men inget kalkylblad (\(TerminalText.sanitize(type))); "
                    + "spara listan som kalkylblad (.ods eller .xlsx) och läs in den igen. Inget har lästs in.")
            }
            // A password-protected file keeps content.xml encrypted; its manifest says so.
            if archive["META-INF/manifest.xml"] != nil {
                let manifest = try XlsxWorkbook.part(archive, "META-INF/manifest.xml", program: "LibreOffice")
                if manifest.range(of: Data("encryption-data".utf8)) != nil {
                    return .refused("Kalkylbladet är lösenordsskyddat: spara det utan lösenord i LibreOffice "
                        + "(Arkiv › Egenskaper › Säkerhet, eller Spara som utan \"Spara med lösenord\") och läs in det igen. Inget har lästs in.")
                }
            }
            return .spreadsheet
        }

        /// Every sheet of `content.xml`, in order.
        static func sheets(_ archive: ZipEntries) throws(ReadError) -> [Sheet] {
            let data = try XlsxWorkbook.part(archive, "content.xml", program: "LibreOffice")
            let delegate = Delegate()
            try XlsxWorkbook.run(data, delegate, part: "content.xml", program: "LibreOffice")
            if let problem = delegate.problem, !delegate.stoppedByLimit {
                throw ReadError(message: "Kalkylbladet är skadat: i content.xml \(problem), vilket LibreOffice aldrig skriver. "
                    + "Ingenting är inläst; öppna filen i LibreOffice och spara den på nytt.")
            }
            return delegate.sheets
        }

        /// The streaming reader of `content.xml`: tables, their rows and cells; the text of a cell
        /// is its paragraphs joined by line breaks, without its comments (`office:annotation`).
        final class Delegate: XMLEvents, StopsWithReason {
            var stop = false
            var sheets: [Sheet] = []
            var problem: String?
            var stoppedByLimit = false
            private var tableDepth = 0
            private var sheet: Sheet?
            private var rowNumber = 0
            private var columnNumber = 0
            private var rowHidden = false
            private var rowRepeat = 1
            private var rowCells: [Int: Cell] = [:]
            private var cellsInAll = 0
            // The cell being read.
            private var inCell = false
            private var cellRepeat = 1
            private var cellSpan = 1
            private var valueType = ""
            private var attributes: [String: String] = [:]
            private var text = ""
            private var paragraphs = 0
            private var inParagraph = 0
            private var skipDepth = 0
            private var textTooLong = false
            /// ODF's white-space rule: a run of spaces, tabs and line breaks in the text is one
            /// space (extra spaces are written as `<text:s/>`).
            private var lastWasSpace = false

            func start(_ elementName: String, _ attributes: [String: String]) {
                let name = XlsxWorkbook.localName(elementName)
                if skipDepth > 0 { skipDepth += 1; return }
                if name == "table" {
                    tableDepth += 1
                    guard tableDepth == 1 else { return }
                    sheet = Sheet(name: XlsxWorkbook.attribute(attributes, "name") ?? "Blad\(sheets.count + 1)",
                                  rows: [], hiddenColumns: [], merged: [], date1904: false)
                    rowNumber = 0
                    columnNumber = 0
                    return
                }
                guard tableDepth == 1 else { return }
                switch name {
                case "table-column":
                    let count = repeated(attributes, "number-columns-repeated")
                    if isHidden(attributes) {
                        for index in columnNumber..<min(columnNumber + count, OpenDocument.columnLimit) { sheet?.hiddenColumns.insert(index) }
                    }
                    columnNumber = min(columnNumber + count, OpenDocument.columnLimit)
                case "table-row":
                    rowRepeat = repeated(attributes, "number-rows-repeated")
                    rowHidden = isHidden(attributes)
                    rowCells = [:]
                    columnNumber = 0
                case "table-cell", "covered-table-cell":
                    inCell = true
                    cellRepeat = repeated(attributes, "number-columns-repeated")
                    cellSpan = name == "table-cell" ? repeated(attributes, "number-columns-spanned") : 1
                    valueType = XlsxWorkbook.attribute(attributes, "value-type") ?? ""
                    self.attributes = attributes
                    text = ""
                    paragraphs = 0
                    textTooLong = false
                case "annotation", "frame", "custom-shape", "rect", "line", "ellipse", "g":
                    // A comment or a drawing in a cell: not the cell's value.
                    if inCell { skipDepth = 1 }
                case "p", "h":
                    if inCell {
                        if paragraphs > 0 { append("\n") }
                        paragraphs += 1
                        inParagraph += 1
                        lastWasSpace = true
                    }
                case "s":
                    if inParagraph > 0 { append(String(repeating: " ", count: min(repeated(attributes, "c"), XlsxWorkbook.cellLimit + 1))) }
                case "tab":
                    if inParagraph > 0 { append("\t") }
                case "line-break":
                    if inParagraph > 0 { append("\n"); lastWasSpace = true }
                default:
                    break
                }
            }

            func end(_ elementName: String) {
                if skipDepth > 0 { skipDepth -= 1; return }
                let name = XlsxWorkbook.localName(elementName)
                if name == "table" {
                    if tableDepth == 1, let sheet { sheets.append(sheet) }
                    if tableDepth == 1 { sheet = nil }
                    tableDepth -= 1
                    return
                }
                guard tableDepth == 1 else { return }
                switch name {
                case "p", "h":
                    if inCell { inParagraph = max(0, inParagraph - 1) }
                case "table-cell", "covered-table-cell":
                    finishCell()
                    inCell = false
                case "table-row":
                    finishRow()
                default:
                    break
                }
            }

            func characters(_ string: String) {
                guard skipDepth == 0, inParagraph > 0 else { return }
                var collapsed = ""
                for character in string {
                    if character == " " || character == "\t" || character == "\n" || character == "\r" || character == "\r\n" {
                        if !lastWasSpace { collapsed.append(" ") }
                        lastWasSpace = true
                    } else {
                        collapsed.append(character)
                        lastWasSpace = false
                    }
                }
                append(collapsed, collapsible: true)
            }

            private func append(_ piece: String, collapsible: Bool = false) {
                guard !textTooLong else { return }
                text += piece
                if !collapsible { lastWasSpace = false }
                if text.count > XlsxWorkbook.cellLimit { textTooLong = true }
            }

            private func finishCell() {
                defer { columnNumber += cellRepeat }
                guard let cell = value() else { return }
                if case .text(let value) = cell, textTooLong || value.count > XlsxWorkbook.cellLimit, problem == nil {
                    problem = "cellen \(XlsxWorkbook.letters(columnNumber))\(rowNumber + 1) har fler tecken än gränsen \(XlsxWorkbook.cellLimit)"
                }
                guard columnNumber + cellRepeat <= OpenDocument.columnLimit else {
                    if problem == nil { problem = "rad \(rowNumber + 1) har ifyllda celler bortom kolumn \(OpenDocument.columnLimit)" }
                    stop = true
                    return
                }
                for offset in 0..<cellRepeat { rowCells[columnNumber + offset] = cell }
                if cellSpan > 1, sheet != nil {
                    let first = columnNumber, last = columnNumber + cellSpan - 1
                    let reference = "\(XlsxWorkbook.letters(first))\(rowNumber + 1):\(XlsxWorkbook.letters(last))\(rowNumber + 1)"
                    sheet?.merged.append((rows: (rowNumber + 1)...(rowNumber + 1), columns: first...last, text: reference))
                }
            }

            /// The cell's value by its `office:value-type`; nil for an empty cell.
            private func value() -> Cell? {
                let shown = text
                // A formula that failed (LibreOffice writes its error as the text and calcext's type).
                if attributes.contains(where: { $0.key.hasPrefix("calcext:") && $0.key.hasSuffix("value-type") && $0.value == "error" }) {
                    return .error(shown.isEmpty ? "#N/A" : shown)
                }
                switch valueType {
                case "float", "percentage", "currency":
                    guard let raw = XlsxWorkbook.attribute(attributes, "value")?.trimmingCharacters(in: .whitespaces) else {
                        return shown.isEmpty ? nil : .text(shown)
                    }
                    guard let number = Double(raw), number.isFinite else { return .error("#VALUE!") }
                    return .number(number, raw: raw, date: false)
                case "date":
                    let raw = XlsxWorkbook.attribute(attributes, "date-value") ?? ""
                    let day = String(raw.prefix(10))
                    guard Day(iso: day) != nil else { return .error(TerminalText.truncate(shown.isEmpty ? raw : shown, to: 20)) }
                    return .text(day)
                case "boolean":
                    let raw = (XlsxWorkbook.attribute(attributes, "boolean-value") ?? "").lowercased()
                    return .bool(raw == "true" || raw == "1")
                case "string":
                    if let direct = XlsxWorkbook.attribute(attributes, "string-value"), shown.isEmpty { return .text(direct) }
                    return .text(shown)
                case "":
                    // No value type: an empty cell (LibreOffice writes the text of any filled cell with one).
                    return shown.isEmpty ? nil : .text(shown)
                default:
                    // A time, or a type this reader does not know: the text as shown.
                    return shown.isEmpty ? nil : .text(shown)
                }
            }

            private func finishRow() {
                defer { rowNumber += rowRepeat }
                // Empty rows, however many a repeat says (LibreOffice pads to the sheet's end): skipped.
                guard !rowCells.isEmpty else { return }
                for offset in 0..<rowRepeat {
                    if (sheet?.rows.count ?? 0) >= XlsxWorkbook.rowLimit {
                        problem = "Listan har fler än \(XlsxWorkbook.rowLimitText) rader, "
                            + "mer än någon ärendelista; dela upp den eller ta bort raderna som inte hör dit. Ingenting är inläst."
                        stoppedByLimit = true
                        stop = true
                        return
                    }
                    cellsInAll += rowCells.count
                    if cellsInAll > OpenDocument.cellLimit {
                        problem = "Kalkylbladet har fler än \(OpenDocument.cellLimit / 1_000_000) miljoner ifyllda celler, "
                            + "mer än någon ärendelista; dela upp det eller ta bort det som inte hör dit. Ingenting är inläst."
                        stoppedByLimit = true
                        stop = true
                        return
                    }
                    sheet?.rows.append(Row(number: rowNumber + offset + 1, cells: rowCells, hidden: rowHidden))
                }
            }

            /// A repeat count: at least 1, and never more than a sheet can hold (LibreOffice
            /// writes 1,048,576 for the empty rows to a sheet's end).
            private func repeated(_ attributes: [String: String], _ name: String) -> Int {
                guard let text = XlsxWorkbook.attribute(attributes, name), let count = Int(text.trimmingCharacters(in: .whitespaces)) else { return 1 }
                return min(max(count, 1), 1_048_576)
            }

            private func isHidden(_ attributes: [String: String]) -> Bool {
                let visibility = XlsxWorkbook.attribute(attributes, "visibility") ?? "visible"
                return visibility == "collapse" || visibility == "filter"
            }
        }
    }
}
