/// One person's case (ärende): the person, their decisions, the follow-up history and reminders.
///
/// A value, like every model type, but its fields live in one shared box that is copied when a
/// copy is changed (copy on write): the caseload's list of 10,000 people is then copied, compared
/// and kept for undo at the cost of one reference per person instead of every field of every
/// person (issue 15: a key press at 10,000 people copied and compared them all).
public struct Client: Codable, Sendable, Equatable, Identifiable {
    /// Every field, stored once per person and shared by copies until one of them changes.
    struct Fields: Equatable, Sendable {
        var id: String = ""
        var name: String = ""
        var personnummer: Personnummer = Personnummer(unchecked: "")
        var representative: Representative? = nil
        var notes: String? = nil
        var livesWithChildren: Bool? = nil
        var archived: Bool = false
        var decisions: [Decision] = []
        var followUps: [FollowUp] = []
        var reminders: [Reminder] = []
        var draft: FollowUpDraft? = nil
        var homeVisit: Bool = false
        var handovers: [Handover] = []
        var address: Address? = nil
        var phones: [Phone] = []
        var doorCode: String? = nil
        var access: String? = nil
        var booking: Booking? = nil
        var ivoID: String? = nil
    }

    final class Storage: @unchecked Sendable {
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    /// Fields are only ever changed through `unique()`, so no two values see each other's changes.
    private var storage = Storage(Fields())

    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
        return storage
    }

    public var id: String {
        get { storage.fields.id }
        _modify { yield &unique().fields.id }
        set { unique().fields.id = newValue }
    }
    public var name: String {
        get { storage.fields.name }
        _modify { yield &unique().fields.name }
        set { unique().fields.name = newValue }
    }
    public var personnummer: Personnummer {
        get { storage.fields.personnummer }
        _modify { yield &unique().fields.personnummer }
        set { unique().fields.personnummer = newValue }
    }
    public var representative: Representative? {
        get { storage.fields.representative }
        _modify { yield &unique().fields.representative }
        set { unique().fields.representative = newValue }
    }
    public var notes: String? {
        get { storage.fields.notes }
        _modify { yield &unique().fields.notes }
        set { unique().fields.notes = newValue }
    }
    /// The child perspective applies (seed 003): the person is a child or lives with children.
    public var livesWithChildren: Bool? {
        get { storage.fields.livesWithChildren }
        _modify { yield &unique().fields.livesWithChildren }
        set { unique().fields.livesWithChildren = newValue }
    }
    public var archived: Bool {
        get { storage.fields.archived }
        _modify { yield &unique().fields.archived }
        set { unique().fields.archived = newValue }
    }
    public var decisions: [Decision] {
        get { storage.fields.decisions }
        _modify { yield &unique().fields.decisions }
        set { unique().fields.decisions = newValue }
    }
    public var followUps: [FollowUp] {
        get { storage.fields.followUps }
        _modify { yield &unique().fields.followUps }
        set { unique().fields.followUps = newValue }
    }
    public var reminders: [Reminder] {
        get { storage.fields.reminders }
        _modify { yield &unique().fields.reminders }
        set { unique().fields.reminders = newValue }
    }
    /// The follow-up in progress, if any.
    public var draft: FollowUpDraft? {
        get { storage.fields.draft }
        _modify { yield &unique().fields.draft }
        set { unique().fields.draft = newValue }
    }
    /// Hembesöksläge is on for this person: the app shows nothing else until it is left.
    public var homeVisit: Bool {
        get { storage.fields.homeVisit }
        _modify { yield &unique().fields.homeVisit }
        set { unique().fields.homeVisit = newValue }
    }
    /// Handläggarbyten in the shared store, oldest first (written by the database, never by the app).
    public var handovers: [Handover] {
        get { storage.fields.handovers }
        _modify { yield &unique().fields.handovers }
        set { unique().fields.handovers = newValue }
    }
    /// The way to the door (hembesök): shown on the case and in hembesöksläge only, never in a
    /// list, a report or a calendar.
    public var address: Address? {
        get { storage.fields.address }
        _modify { yield &unique().fields.address }
        set { unique().fields.address = newValue }
    }
    public var phones: [Phone] {
        get { storage.fields.phones }
        _modify { yield &unique().fields.phones }
        set { unique().fields.phones = newValue }
    }
    public var doorCode: String? {
        get { storage.fields.doorCode }
        _modify { yield &unique().fields.doorCode }
        set { unique().fields.doorCode = newValue }
    }
    /// How to get in: key, alarm, pets.
    public var access: String? {
        get { storage.fields.access }
        _modify { yield &unique().fields.access }
        set { unique().fields.access = newValue }
    }
    /// The booked follow-up, if one is booked.
    public var booking: Booking? {
        get { storage.fields.booking }
        _modify { yield &unique().fields.booking }
        set { unique().fields.booking = newValue }
    }
    /// IVO's identifier for the person (`ÅÅÅÅMMDD-T123`), made at the first IVO report and kept.
    public var ivoID: String? {
        get { storage.fields.ivoID }
        _modify { yield &unique().fields.ivoID }
        set { unique().fields.ivoID = newValue }
    }

    /// Equal fields; the same box is equal at once (the common case: an unchanged person).
    public static func == (lhs: Client, rhs: Client) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.fields == rhs.storage.fields
    }

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
