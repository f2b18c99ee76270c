/// A legal representative: god man, förvaltare, or a guardian for a child.
public struct Representative: Codable, Sendable, Equatable, Hashable {
    public var name: String
    /// "god man", "förvaltare", "vårdnadshavare", … as the handläggare writes it.
    public var role: String
    public var contact: String?

    public init(name: String, role: String, contact: String? = nil) {
        self.name = name
        self.role = role
        self.contact = contact
    }
}
