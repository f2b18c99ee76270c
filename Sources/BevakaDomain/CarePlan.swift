/// The provider's genomförandeplan as the handläggare knows it.
public struct CarePlan: Codable, Sendable, Equatable, Hashable {
    /// When the plan reached the handläggare.
    public var received: Day?
    /// When the plan was established (upprättad) with the person.
    public var established: Day?
    /// When it was last revised.
    public var revised: Day?
    /// Whether the person took part in making it (seed 000: record it if not, and why).
    public var personTookPart: Bool?
    public var notTakenPartReason: String?

    public init(received: Day? = nil, established: Day? = nil, revised: Day? = nil,
                personTookPart: Bool? = nil, notTakenPartReason: String? = nil) {
        self.received = received
        self.established = established
        self.revised = revised
        self.personTookPart = personTookPart
        self.notTakenPartReason = notTakenPartReason
    }

    /// The plan's current date: the latest of revised, established and received.
    public var currentDate: Day? {
        [revised, established, received].compactMap { $0 }.max()
    }

    /// Every known date with what it is, the same on every screen and in the journal:
    /// "upprättad 2025-08-05, mottagen 2025-08-07". nil when no date is recorded.
    public var labelledDates: String? {
        let parts = [("upprättad", established), ("reviderad", revised), ("mottagen", received)]
            .compactMap { label, day in day.map { "\(label) \($0)" } }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    enum CodingKeys: String, CodingKey {
        case received, established, revised
        case personTookPart = "tookPart"
        case notTakenPartReason = "notTakenPartReason"
    }
}
