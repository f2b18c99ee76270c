import BevakaDomain

/// One screen cell: a grapheme and its role. A wide grapheme fills its cell and marks the
/// next one as its continuation.
public struct Cell: Equatable, Sendable {
    public var character: Character
    public var role: Role
    public var isContinuation: Bool

    public static let blank = Cell(character: " ", role: .normal, isContinuation: false)

    /// A cell holds a base and at most four combining marks (ncurses' CCHARW_MAX is 5): a
    /// grapheme with more would be cut by the terminal library into a stray character, so the
    /// extra marks are dropped for display (the stored text is unchanged).
    static let maximumScalars = 5

    static func displayable(_ character: Character) -> Character {
        let scalars = character.unicodeScalars
        guard scalars.count > maximumScalars else { return character }
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: scalars.prefix(maximumScalars))
        return String(kept).first ?? character
    }
}

/// A cell position (column, row).
public struct CursorPosition: Equatable, Sendable {
    public var x: Int
    public var y: Int

    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }
}

/// The finished screen: what render produces and the backend copies to the terminal.
public struct CellBuffer: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where the terminal's own cursor goes after the frame (screen-reader mode: the selected row
    /// or the focused field, which screen readers and braille displays follow). nil: hidden.
    public var cursor: CursorPosition?
    /// Screen-reader mode: glyphs become words or plain spacing as text is put (no box drawing,
    /// no blocks, no arrows).
    public var plain = false

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Fills a row's remainder with a role (for bars and selections).
    public mutating func fill(row y: Int, from x: Int = 0, to end: Int? = nil, role: Role) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<min(width, end ?? width) {
            cells[y * width + column] = Cell(character: " ", role: role, isContinuation: false)
        }
    }

    /// Writes text from (x, y), sanitised, cut at `maxWidth` columns (with "…") and at the edge.
    /// Returns the column after the last one written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: Role, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return x }
        let limit = min(width - max(0, x), maxWidth ?? Int.max)
        let clean = TerminalText.truncate(plain ? CellBuffer.words(TerminalText.sanitize(text)) : TerminalText.sanitize(text),
                                          to: limit)
        var column = max(0, x)
        for original in clean {
            let w = TerminalText.width(of: original)
            if w == 0 { continue }
            let character = Cell.displayable(original)
            if column + w > width { break }
            cells[y * width + column] = Cell(character: character, role: role, isContinuation: false)
            if w == 2 {
                cells[y * width + column + 1] = Cell(character: " ", role: role, isContinuation: true)
            }
            column += w
        }
        return column
    }

    /// Screen-reader mode's text: a glyph that a screen reader reads as a symbol name (or not at
    /// all) becomes a word, and drawing characters become spaces.
    static func words(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value >= 0x2190 }) else { return text }
        var out = ""
        for character in text {
            switch character {
            case "↑": out += "upp"
            case "↓": out += "ner"
            case "←": out += "vänster"
            case "→": out += "höger"
            case "▶": out += "nu"
            case "✗": out += "fel:"
            case "▾": out += ""
            case "↳": out += "svar:"
            case "›": out += ">"
            case "•": out += "-"
            default:
                if let scalar = character.unicodeScalars.first, (0x2500...0x259F).contains(scalar.value) {
                    out += " "  // box drawing and block elements
                } else {
                    out.append(character)
                }
            }
        }
        return out
    }

    /// The plain text of the screen, one line per row with trailing spaces removed (snapshots).
    public var text: String {
        var lines: [String] = []
        for y in 0..<height {
            var line = ""
            for x in 0..<width where !self[x, y].isContinuation {
                line.append(self[x, y].character)
            }
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
