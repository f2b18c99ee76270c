/// Where the person lives, for the way to the door at a hembesök.
public struct Address: Codable, Sendable, Equatable, Hashable {
    public var street: String?
    /// Five digits, written `123 45`.
    public var postcode: String?
    public var town: String?

    public init(street: String? = nil, postcode: String? = nil, town: String? = nil) {
        self.street = street
        self.postcode = postcode
        self.town = town
    }

    public var isEmpty: Bool { street == nil && postcode == nil && town == nil }

    /// "Storgatan 1, 123 45 Lilla Edet".
    public var oneLine: String {
        let place = [postcode, town].compactMap { $0 }.joined(separator: " ")
        return [street, place.isEmpty ? nil : place].compactMap { $0 }.joined(separator: ", ")
    }
}

/// A phone number with whose it is: `eget`, `anhörig`, `god man`, … as the handläggare writes it.
public struct Phone: Codable, Sendable, Equatable, Hashable {
    public var label: String
    public var number: String

    public init(label: String, number: String) {
        self.label = label
        self.number = number
    }

    /// The labels the form and the CSV columns use.
    public static let own = "eget", relative = "anhörig", guardian = "god man"
}

extension FieldInput {
    /// A Swedish postcode: five digits, with or without the space; written `123 45`.
    public static func postcode(_ raw: String) throws(Problem) -> String? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return nil }
        let digits = text.filter { $0 != " " }
        guard digits.count == 5, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw Problem("Postnumret ska ha fem siffror, t.ex. 463 30.")
        }
        return String(digits.prefix(3)) + " " + String(digits.suffix(2))
    }

    /// A phone number: digits with spaces, `-`, `+` first, and parentheses; 5–15 digits.
    public static func phone(_ raw: String) throws(Problem) -> String? {
        let text = TerminalText.sanitize(raw).trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return nil }
        let allowed = Set("0123456789 -()")
        let body = text.hasPrefix("+") ? String(text.dropFirst()) : text
        let digits = body.filter { $0.isASCII && $0.isNumber }.count
        guard body.allSatisfy(allowed.contains), (5...15).contains(digits) else {
            throw Problem("Telefonnumret ska vara siffror (5–15), gärna med mellanslag eller bindestreck, t.ex. 070-123 45 67.")
        }
        return text
    }
}
