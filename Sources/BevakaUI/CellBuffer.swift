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

/// The finished screen: what render produces and the backend copies to the terminal.
public struct CellBuffer: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

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
        let clean = TerminalText.truncate(TerminalText.sanitize(text), to: limit)
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
