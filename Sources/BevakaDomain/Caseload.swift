/// Everything one handläggare follows: the document the store saves.
public struct Caseload: Codable, Sendable, Equatable {
    public var clients: [Client]
    /// The next serial for identifiers; identifiers are short, stable and never reused.
    public var nextSerial: Int

    public init(clients: [Client] = [], nextSerial: Int = 1) {
        self.clients = clients
        self.nextSerial = nextSerial
    }

    /// A fresh identifier such as `c12`, `d40`, `r7`.
    public mutating func makeID(_ prefix: Character) -> String {
        defer { nextSerial += 1 }
        return "\(prefix)\(nextSerial)"
    }

}
