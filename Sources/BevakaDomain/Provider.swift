/// The utförare that carries out a decision.
public struct Provider: Codable, Sendable, Equatable, Hashable {
    public var name: String
    public var regi: Regi
    /// Whether the provider works in the municipality's case system (seed 000: if not,
    /// the handläggare requests the plan from the unit's manager).
    public var caseSystemAccess: Bool?
    /// The provider's contact person for this decision, and a phone number.
    public var contact: String?
    public var phone: String?

    public init(name: String, regi: Regi, caseSystemAccess: Bool? = nil, contact: String? = nil, phone: String? = nil) {
        self.name = name
        self.regi = regi
        self.caseSystemAccess = caseSystemAccess
        self.contact = contact
        self.phone = phone
    }

    enum CodingKeys: String, CodingKey {
        case name, regi
        case caseSystemAccess = "access"
        case contact, phone
    }
}
