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
    /// the same people in the same order. Compared in place (iterating pairs of clients copies
    /// each one's fields: at 10,000 people that was most of a key press, issue 15).
    public func changedClients(from other: Caseload) -> [Int]? {
        guard clients.count == other.clients.count else { return nil }
        var changed: [Int] = []
        let same = clients.withUnsafeBufferPointer { mine in
            other.clients.withUnsafeBufferPointer { theirs in
                for index in 0..<mine.count {
                    guard mine[index].id == theirs[index].id else { return false }
                    if mine[index] != theirs[index] { changed.append(index) }
                }
                return true
            }
        }
        return same ? changed : nil
    }

    /// `self != other`, compared in place.
    public func differs(from other: Caseload) -> Bool {
        guard nextSerial == other.nextSerial, let changed = changedClients(from: other) else { return true }
        return !changed.isEmpty
    }
}
