/// One person's case (ärende): the person, their decisions, the follow-up history and reminders.
public struct Client: Codable, Sendable, Equatable, Identifiable {
    public var id: String
    public var name: String
    public var personnummer: Personnummer
    public var representative: Representative?
    public var notes: String?
    /// The child perspective applies (seed 003): the person is a child or lives with children.
    public var livesWithChildren: Bool?
    public var archived: Bool
    public var decisions: [Decision]
    public var followUps: [FollowUp]
    public var reminders: [Reminder]
    /// The follow-up in progress, if any.
    public var draft: FollowUpDraft?
    /// Hembesöksläge is on for this person: the app shows nothing else until it is left.
    public var homeVisit: Bool
    /// Handläggarbyten in the shared store, oldest first (written by the database, never by the app).
    public var handovers: [Handover] = []
    /// The way to the door (hembesök): shown on the case and in hembesöksläge only, never in a
    /// list, a report or a calendar.
    public var address: Address?
    public var phones: [Phone] = []
    public var doorCode: String?
    /// How to get in: key, alarm, pets.
    public var access: String?
    /// The booked follow-up, if one is booked.
    public var booking: Booking?
    /// IVO's identifier for the person (`ÅÅÅÅMMDD-T123`), made at the first IVO report and kept.
    public var ivoID: String?

    public init(id: String, name: String, personnummer: Personnummer,
                representative: Representative? = nil, notes: String? = nil,
                livesWithChildren: Bool? = nil, archived: Bool = false,
                decisions: [Decision] = [], followUps: [FollowUp] = [], reminders: [Reminder] = [],
                draft: FollowUpDraft? = nil, homeVisit: Bool = false) {
        self.id = id
        self.name = name
        self.personnummer = personnummer
        self.representative = representative
        self.notes = notes
        self.livesWithChildren = livesWithChildren
        self.archived = archived
        self.decisions = decisions
        self.followUps = followUps
        self.reminders = reminders
        self.draft = draft
        self.homeVisit = homeVisit
    }

    /// Decisions neither closed nor ended on `today`.
    public func runningDecisions(on today: Day) -> [Decision] {
        decisions.filter { $0.closedOn == nil && !$0.hasEnded(on: today) }
    }

    enum CodingKeys: String, CodingKey {
        case id, name
        case personnummer = "pnr"
        case representative, notes
        case livesWithChildren = "children"
        case archived, decisions, followUps, reminders, draft
        case homeVisit = "visit"
        case handovers, address, phones, doorCode, access, booking, ivoID
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        personnummer = try c.decode(Personnummer.self, forKey: .personnummer)
        representative = try c.decodeIfPresent(Representative.self, forKey: .representative)
        notes = try c.decodeIfPresent(String.self, forKey: .notes)
        livesWithChildren = try c.decodeIfPresent(Bool.self, forKey: .livesWithChildren)
        archived = try c.decodeIfPresent(Bool.self, forKey: .archived) ?? false
        decisions = try c.decodeIfPresent([Decision].self, forKey: .decisions) ?? []
        followUps = try c.decodeIfPresent([FollowUp].self, forKey: .followUps) ?? []
        reminders = try c.decodeIfPresent([Reminder].self, forKey: .reminders) ?? []
        draft = try c.decodeIfPresent(FollowUpDraft.self, forKey: .draft)
        homeVisit = try c.decodeIfPresent(Bool.self, forKey: .homeVisit) ?? false
        handovers = try c.decodeIfPresent([Handover].self, forKey: .handovers) ?? []
        address = try c.decodeIfPresent(Address.self, forKey: .address)
        phones = try c.decodeIfPresent([Phone].self, forKey: .phones) ?? []
        doorCode = try c.decodeIfPresent(String.self, forKey: .doorCode)
        access = try c.decodeIfPresent(String.self, forKey: .access)
        booking = try c.decodeIfPresent(Booking.self, forKey: .booking)
        ivoID = try c.decodeIfPresent(String.self, forKey: .ivoID)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(personnummer, forKey: .personnummer)
        try c.encodeIfPresent(representative, forKey: .representative)
        try c.encodeIfPresent(notes, forKey: .notes)
        try c.encodeIfPresent(livesWithChildren, forKey: .livesWithChildren)
        if archived { try c.encode(archived, forKey: .archived) }
        if !decisions.isEmpty { try c.encode(decisions, forKey: .decisions) }
        if !followUps.isEmpty { try c.encode(followUps, forKey: .followUps) }
        if !reminders.isEmpty { try c.encode(reminders, forKey: .reminders) }
        try c.encodeIfPresent(draft, forKey: .draft)
        if homeVisit { try c.encode(homeVisit, forKey: .homeVisit) }
        if !handovers.isEmpty { try c.encode(handovers, forKey: .handovers) }
        if let address, !address.isEmpty { try c.encode(address, forKey: .address) }
        if !phones.isEmpty { try c.encode(phones, forKey: .phones) }
        try c.encodeIfPresent(doorCode, forKey: .doorCode)
        try c.encodeIfPresent(access, forKey: .access)
        try c.encodeIfPresent(booking, forKey: .booking)
        try c.encodeIfPresent(ivoID, forKey: .ivoID)
    }

    /// The phone number with a label, if any.
    public func phone(_ label: String) -> String? {
        phones.first { $0.label == label }?.number
    }
}
