/// One person's case (ärende): the person, their decisions, the follow-up history and reminders.
///
/// A value, like every model type, but its fields live in one shared box that is copied when a
/// copy is changed (copy on write): the caseload's list of 10,000 people is then copied, compared
/// and kept for undo at the cost of one reference per person instead of every field of every
/// person (measured: a key press at 10,000 people copied and compared them all).
public struct Client: Codable, Sendable, Equatable, Identifiable {
    /// The field list stands here, in `copy()`, in the accessors and in `==`. One Equatable
    /// struct of fields inside the box was tried and measured slower (a field read through it
    /// copied the struct: rules 70 → 105 ms and `d` 9 → 24 ms at 10,000 people), so the fields
    /// stay stored properties; `ClientBoxTests` checks that `copy()` and `==` see every field.
    final class Storage: @unchecked Sendable {
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
        var protectedIdentity: Bool = false
        var contactWithheld: Bool = false

        init() {}

        func copy() -> Storage {
            let copy = Storage()
            copy.id = id
            copy.name = name
            copy.personnummer = personnummer
            copy.representative = representative
            copy.notes = notes
            copy.livesWithChildren = livesWithChildren
            copy.archived = archived
            copy.decisions = decisions
            copy.followUps = followUps
            copy.reminders = reminders
            copy.draft = draft
            copy.homeVisit = homeVisit
            copy.handovers = handovers
            copy.address = address
            copy.phones = phones
            copy.doorCode = doorCode
            copy.access = access
            copy.booking = booking
            copy.ivoID = ivoID
            copy.protectedIdentity = protectedIdentity
            copy.contactWithheld = contactWithheld
            return copy
        }
    }

    /// Fields are only ever changed through `unique()`, so no two values see each other's changes.
    private var storage = Storage()

    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    public var id: String {
        get { storage.id }
        _modify { yield &unique().id }
        set { unique().id = newValue }
    }
    public var name: String {
        get { storage.name }
        _modify { yield &unique().name }
        set { unique().name = newValue }
    }
    public var personnummer: Personnummer {
        get { storage.personnummer }
        _modify { yield &unique().personnummer }
        set { unique().personnummer = newValue }
    }
    public var representative: Representative? {
        get { storage.representative }
        _modify { yield &unique().representative }
        set { unique().representative = newValue }
    }
    public var notes: String? {
        get { storage.notes }
        _modify { yield &unique().notes }
        set { unique().notes = newValue }
    }
    /// The child perspective applies (seed 003): the person is a child or lives with children.
    public var livesWithChildren: Bool? {
        get { storage.livesWithChildren }
        _modify { yield &unique().livesWithChildren }
        set { unique().livesWithChildren = newValue }
    }
    public var archived: Bool {
        get { storage.archived }
        _modify { yield &unique().archived }
        set { unique().archived = newValue }
    }
    public var decisions: [Decision] {
        get { storage.decisions }
        _modify { yield &unique().decisions }
        set { unique().decisions = newValue }
    }
    public var followUps: [FollowUp] {
        get { storage.followUps }
        _modify { yield &unique().followUps }
        set { unique().followUps = newValue }
    }
    public var reminders: [Reminder] {
        get { storage.reminders }
        _modify { yield &unique().reminders }
        set { unique().reminders = newValue }
    }
    /// The follow-up in progress, if any.
    public var draft: FollowUpDraft? {
        get { storage.draft }
        _modify { yield &unique().draft }
        set { unique().draft = newValue }
    }
    /// Hembesöksläge is on for this person: the app shows nothing else until it is left.
    public var homeVisit: Bool {
        get { storage.homeVisit }
        _modify { yield &unique().homeVisit }
        set { unique().homeVisit = newValue }
    }
    /// Handläggarbyten in the shared store, oldest first (written by the database, never by the app).
    public var handovers: [Handover] {
        get { storage.handovers }
        _modify { yield &unique().handovers }
        set { unique().handovers = newValue }
    }
    /// The way to the door (hembesök): shown on the case and in hembesöksläge only, never in a
    /// list, a report or a calendar.
    public var address: Address? {
        get { storage.address }
        _modify { yield &unique().address }
        set { unique().address = newValue }
    }
    public var phones: [Phone] {
        get { storage.phones }
        _modify { yield &unique().phones }
        set { unique().phones = newValue }
    }
    public var doorCode: String? {
        get { storage.doorCode }
        _modify { yield &unique().doorCode }
        set { unique().doorCode = newValue }
    }
    /// How to get in: key, alarm, pets.
    public var access: String? {
        get { storage.access }
        _modify { yield &unique().access }
        set { unique().access = newValue }
    }
    /// The booked follow-up, if one is booked.
    public var booking: Booking? {
        get { storage.booking }
        _modify { yield &unique().booking }
        set { unique().booking = newValue }
    }
    /// IVO's identifier for the person (`ÅÅÅÅMMDD-T123`), made at the first IVO report and kept.
    public var ivoID: String? {
        get { storage.ivoID }
        _modify { yield &unique().ivoID }
        set { unique().ivoID = newValue }
    }
    /// Skyddade personuppgifter: the address, phones, door code and access note are shown on the
    /// case screen and in hembesöksläge only (never in a letter, a calendar, an export, a list or
    /// the manager's data), lists say "Skyddad" instead of the birth date, and every opening of
    /// the case stands out in the log review.
    public var protectedIdentity: Bool {
        get { storage.protectedIdentity }
        _modify { yield &unique().protectedIdentity }
        set { unique().protectedIdentity = newValue }
    }
    /// The shared store read this person of protected identity in a list, without the contact
    /// data (address, phones, door code, access, the booking's place): they come when the case is
    /// opened (a read logged per person). A save of a withheld record keeps what the database has.
    public var contactWithheld: Bool {
        get { storage.contactWithheld }
        _modify { yield &unique().contactWithheld }
        set { unique().contactWithheld = newValue }
    }

    /// Equal fields; the same box is equal at once (the common case: an unchanged person).
    public static func == (lhs: Client, rhs: Client) -> Bool {
        if lhs.storage === rhs.storage { return true }
        let a = lhs.storage, b = rhs.storage
        return a.id == b.id
            && a.name == b.name
            && a.personnummer == b.personnummer
            && a.representative == b.representative
            && a.notes == b.notes
            && a.livesWithChildren == b.livesWithChildren
            && a.archived == b.archived
            && a.decisions == b.decisions
            && a.followUps == b.followUps
            && a.reminders == b.reminders
            && a.draft == b.draft
            && a.homeVisit == b.homeVisit
            && a.handovers == b.handovers
            && a.address == b.address
            && a.phones == b.phones
            && a.doorCode == b.doorCode
            && a.access == b.access
            && a.booking == b.booking
            && a.ivoID == b.ivoID
            && a.protectedIdentity == b.protectedIdentity
            && a.contactWithheld == b.contactWithheld
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
        decisions.filter { $0.isRunning(on: today) }
    }

    /// The stored names of a person's fields: the one list the box, equality, both codecs and
    /// the store's reader are held to (tested field by field).
    public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
        case id, name
        case personnummer = "pnr"
        case representative, notes
        case livesWithChildren = "children"
        case archived, decisions, followUps, reminders, draft
        case homeVisit = "visit"
        case handovers, address, phones, doorCode, access, booking, ivoID
        case protectedIdentity = "protected"
        case contactWithheld
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
        protectedIdentity = try c.decodeIfPresent(Bool.self, forKey: .protectedIdentity) ?? false
        contactWithheld = try c.decodeIfPresent(Bool.self, forKey: .contactWithheld) ?? false
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
        if protectedIdentity { try c.encode(protectedIdentity, forKey: .protectedIdentity) }
        if contactWithheld { try c.encode(contactWithheld, forKey: .contactWithheld) }
    }

    /// Removes the address, phones, door code and access note (and a booking's place, which is
    /// often the address): what a protected identity keeps on the case screen only.
    public mutating func withoutContactDetails() {
        address = nil
        phones = []
        doorCode = nil
        access = nil
        booking?.place = nil
    }

    /// The phone number with a label, if any.
    public func phone(_ label: String) -> String? {
        phones.first { $0.label == label }?.number
    }
}
