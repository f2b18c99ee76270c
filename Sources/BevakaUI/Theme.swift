import Foundation

/// The semantic roles a screen draws with; a theme maps each to colours and attributes.
public enum Role: String, CaseIterable, Sendable, Codable {
    case normal, header, title, selection, overdue, dueSoon, done, muted, border
    case statusBar, helpKey, warning, error, bar, barToday, highlight
}

/// A terminal colour as a theme file writes it.
public enum ThemeColor: Equatable, Sendable {
    case `default`
    /// 0–255; 0–7 are the basic colours.
    case index(Int)
    case rgb(Int, Int, Int)

    static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// The nearest of the 8 basic colours, for terminals with fewer than 256.
    public var basic: Int? {
        switch self {
        case .default: return nil
        case .index(let i) where i < 8: return i
        case .index(let i) where i < 16: return i - 8
        case .index(let i) where i >= 232:
            return i >= 244 ? 7 : 0
        case .index(let i):
            let v = i - 16
            return ThemeColor.nearestBasic(r: (v / 36) * 51, g: ((v / 6) % 6) * 51, b: (v % 6) * 51)
        case .rgb(let r, let g, let b):
            return ThemeColor.nearestBasic(r: r, g: g, b: b)
        }
    }

    /// The nearest xterm-256 index.
    public var index256: Int? {
        switch self {
        case .default: return nil
        case .index(let i): return i
        case .rgb(let r, let g, let b):
            func level(_ v: Int) -> Int { v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40 }
            return 16 + 36 * level(r) + 6 * level(g) + level(b)
        }
    }

    static func nearestBasic(r: Int, g: Int, b: Int) -> Int {
        let bright = max(r, g, b) > 127
        let bits = (r > 95 ? 1 : 0) | (g > 95 ? 2 : 0) | (b > 95 ? 4 : 0)
        return bits == 0 && bright ? 7 : bits
    }
}

/// Text attributes.
public struct TextAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let bold = TextAttributes(rawValue: 1)
    public static let reverse = TextAttributes(rawValue: 2)
    public static let underline = TextAttributes(rawValue: 4)
    public static let dim = TextAttributes(rawValue: 8)

    static let names: [String: TextAttributes] = ["bold": .bold, "reverse": .reverse, "underline": .underline, "dim": .dim]
}

public struct Style: Equatable, Sendable {
    public var fg: ThemeColor
    public var bg: ThemeColor
    public var attributes: TextAttributes
    /// Used instead of colours when there are none or NO_COLOR is set.
    public var mono: TextAttributes

    public init(fg: ThemeColor = .default, bg: ThemeColor = .default, attributes: TextAttributes = [],
                mono: TextAttributes = []) {
        self.fg = fg
        self.bg = bg
        self.attributes = attributes
        self.mono = mono
    }
}

/// A complete role → style map. Theme files override the compiled-in default role by role.
public struct Theme: Equatable, Sendable {
    public var name: String
    public var styles: [Role: Style]

    public func style(_ role: Role) -> Style {
        styles[role] ?? styles[.normal] ?? Style()
    }

    public static let `default` = Theme(name: "default", styles: [
        .normal: Style(),
        .header: Style(fg: .index(6), attributes: [.bold], mono: [.bold]),
        .title: Style(fg: .index(0), bg: .index(6), attributes: [.bold], mono: [.reverse, .bold]),
        .selection: Style(fg: .index(0), bg: .index(6), mono: [.reverse]),
        .overdue: Style(fg: .index(1), attributes: [.bold], mono: [.bold]),
        .dueSoon: Style(fg: .index(3), mono: [.underline]),
        .done: Style(fg: .index(2), mono: [.dim]),
        .muted: Style(fg: .index(8), attributes: [.dim], mono: [.dim]),
        .border: Style(fg: .index(4), mono: []),
        .statusBar: Style(fg: .index(7), bg: .index(4), mono: [.reverse]),
        .helpKey: Style(fg: .index(3), attributes: [.bold], mono: [.bold]),
        .warning: Style(fg: .index(3), attributes: [.bold], mono: [.bold]),
        .error: Style(fg: .index(7), bg: .index(1), attributes: [.bold], mono: [.reverse, .bold]),
        .bar: Style(fg: .index(4), mono: []),
        .barToday: Style(fg: .index(6), attributes: [.bold], mono: [.bold]),
        .highlight: Style(fg: .index(6), attributes: [.bold], mono: [.bold]),
    ])

    public struct LoadError: Error, Equatable {
        public var path: String
        public var problem: String
        public var message: String { "Temat \(path) kan inte användas: \(problem) Standardtemat används." }
    }

    /// Applies a theme file (JSON: `{"name": …, "roles": {"overdue": {"fg": "red", "attrs": ["bold"]}}}`)
    /// on top of `base`. Every key is checked.
    public static func parse(_ data: Data, path: String, base: Theme = .default) throws(LoadError) -> Theme {
        func fail(_ problem: String) -> LoadError { LoadError(path: path, problem: problem) }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw fail("filen är inte ett giltigt JSON-objekt.")
        }
        var theme = base
        for key in root.keys where key != "name" && key != "roles" && key != "description" {
            throw fail("okänd nyckel \"\(key)\" (tillåtna: name, description, roles).")
        }
        if let name = root["name"] as? String { theme.name = name }
        guard let roles = root["roles"] as? [String: Any] else { throw fail("\"roles\" saknas eller är inget objekt.") }
        for (roleName, value) in roles {
            guard let role = Role(rawValue: roleName) else {
                throw fail("okänd roll \"\(roleName)\" (kända: \(Role.allCases.map(\.rawValue).joined(separator: ", "))).")
            }
            guard let fields = value as? [String: Any] else { throw fail("\"\(roleName)\" ska vara ett objekt.") }
            var style = base.style(role)
            for (field, raw) in fields {
                switch field {
                case "fg": style.fg = try color(raw, "\(roleName).fg", fail)
                case "bg": style.bg = try color(raw, "\(roleName).bg", fail)
                case "attrs": style.attributes = try attributes(raw, "\(roleName).attrs", fail)
                case "mono": style.mono = try attributes(raw, "\(roleName).mono", fail)
                default: throw fail("okänt fält \"\(roleName).\(field)\" (kända: fg, bg, attrs, mono).")
                }
            }
            theme.styles[role] = style
        }
        return theme
    }

    static func color(_ raw: Any, _ place: String, _ fail: (String) -> LoadError) throws(LoadError) -> ThemeColor {
        if let number = raw as? Int {
            guard (0...255).contains(number) else { throw fail("\(place): \(number) ska vara 0–255.") }
            return .index(number)
        }
        guard let text = raw as? String else { throw fail("\(place) ska vara ett färgnamn, 0–255 eller #rrggbb.") }
        if text == "default" { return .default }
        if let index = ThemeColor.names.firstIndex(of: text) { return .index(index) }
        if text.hasPrefix("#"), text.count == 7, let value = Int(text.dropFirst(), radix: 16) {
            return .rgb((value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF)
        }
        throw fail("\(place): \"\(text)\" är ingen färg (default, \(ThemeColor.names.joined(separator: ", ")), 0–255 eller #rrggbb).")
    }

    static func attributes(_ raw: Any, _ place: String, _ fail: (String) -> LoadError) throws(LoadError) -> TextAttributes {
        guard let list = raw as? [String] else { throw fail("\(place) ska vara en lista, t.ex. [\"bold\"].") }
        var result: TextAttributes = []
        for name in list {
            guard let attribute = TextAttributes.names[name] else {
                throw fail("\(place): okänt attribut \"\(name)\" (kända: bold, reverse, underline, dim).")
            }
            result.insert(attribute)
        }
        return result
    }
}
