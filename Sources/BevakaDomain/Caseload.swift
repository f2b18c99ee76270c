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

extension Caseload {
    /// The positions of the clients that differ from `other`'s, or nil when the two do not hold
    /// the same people in the same order. Cheap for a person unchanged since a copy: their
    /// `Client` values share one box (measured: the rules run again only for the changed).
    public func changedClients(from other: Caseload) -> [Int]? {
        guard clients.count == other.clients.count else { return nil }
        var changed: [Int] = []
        for index in clients.indices {
            guard clients[index].id == other.clients[index].id else { return nil }
            if clients[index] != other.clients[index] { changed.append(index) }
        }
        return changed
    }
}
