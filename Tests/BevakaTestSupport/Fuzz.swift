import BevakaDomain
import Foundation

extension SeededRandom {
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }
    public mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    public mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }
}

/// Random caseloads with every field a store must carry, and byte mutations of a document:
/// the inputs of the store reader's and the codecs' tests.
public enum Fuzz {
    /// Text with what a store must carry: Swedish letters, quotes, backslashes, control
    /// characters, emoji, combining marks, slashes, long runs.
    public static func text(_ random: inout SeededRandom) -> String {
        let pieces = ["Astrid", "å", "Ö", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1B}[2J", "\u{7F}", "😀",
                      "e\u{301}", "\u{2028}", "\u{FEFF}", "ﬁ", "漢字", "1e3", "null", "{", "}", ",", ":", "[", "]",
                      String(repeating: "x", count: 40)]
        var text = ""
        for _ in 0..<random.below(6) { text += random.pick(pieces) }
        return text
    }

    public static func optionalText(_ random: inout SeededRandom) -> String? {
        random.chance(50) ? text(&random) : nil
    }

    public static func day(_ random: inout SeededRandom) -> Day {
        Day(dayNumber: -25_000 + random.below(70_000))
    }

    public static func optionalDay(_ random: inout SeededRandom) -> Day? {
        random.chance(50) ? day(&random) : nil
    }

    public static func hours(_ random: inout SeededRandom) -> Double? {
        switch random.below(5) {
        case 0: return nil
        case 1: return Double(random.below(745))
        case 2: return Double(random.below(74_400)) / 100
        case 3: return Double(bitPattern: 0x3FB9_9999_9999_999A &+ UInt64(random.below(1000)))  // 0.1 and its neighbours
        default: return Double(random.next() % 1_000_000_000) / 1_000_000_000 * Hours.maximum
        }
    }

    public static func strings(_ random: inout SeededRandom) -> [String] {
        (0..<random.below(3)).map { _ in text(&random) }
    }

    public static func caseload(_ random: inout SeededRandom, clients count: Int) -> Caseload {
        var caseload = Caseload(nextSerial: random.below(100_000))
        for index in 0..<count {
            // A personnummer of its own per person (a store never holds one twice).
            var digits = String(1900 + random.below(120)) + "0101"
            let serial = String(index % 10_000)
            digits += String(repeating: "0", count: 4 - serial.count) + serial
            var client = Client(id: "c\(index)-" + text(&random), name: text(&random),
                                personnummer: Personnummer(unchecked: digits))
            if random.chance(30) {
                client.representative = Representative(name: text(&random), role: text(&random), contact: optionalText(&random))
            }
            client.notes = optionalText(&random)
            client.livesWithChildren = random.chance(30) ? random.chance(50) : nil
            client.archived = random.chance(20)
            client.homeVisit = random.chance(10)
            client.doorCode = optionalText(&random)
            client.access = optionalText(&random)
            client.ivoID = optionalText(&random)
            client.protectedIdentity = random.next() % 5 == 0
            client.contactWithheld = client.protectedIdentity && random.next() % 3 == 0
            if random.chance(40) {
                let address = Address(street: optionalText(&random), postcode: optionalText(&random), town: optionalText(&random))
                // An empty address is left out of the store (Client.encode), so it reads back as none.
                client.address = address.isEmpty ? nil : address
            }
            client.phones = (0..<random.below(3)).map { _ in Phone(label: text(&random), number: text(&random)) }
            client.handovers = (0..<random.below(2)).map { _ in
                Handover(from: text(&random), to: text(&random), on: day(&random), by: text(&random))
            }
            if random.chance(30) {
                client.booking = Booking(date: day(&random), start: random.below(1440), minutes: 5 + random.below(716),
                                         place: optionalText(&random), invited: strings(&random))
            }
            for d in 0..<random.below(4) {
                var decision = Decision(id: "d\(d)" + text(&random), law: random.pick(Law.allCases), service: text(&random),
                                        form: random.chance(50) ? random.pick(DecisionForm.allCases) : nil,
                                        grantedHours: hours(&random), performedHours: hours(&random),
                                        validFrom: day(&random), validTo: optionalDay(&random), startedOn: optionalDay(&random),
                                        consent: random.chance(50) ? random.pick(ConsentStatus.allCases) : nil,
                                        closedOn: optionalDay(&random), performedMonth: optionalText(&random))
                if random.chance(40) {
                    decision.provider = Provider(name: text(&random), regi: random.pick(Regi.allCases),
                                                 caseSystemAccess: random.chance(50) ? random.chance(50) : nil,
                                                 contact: optionalText(&random), phone: optionalText(&random))
                }
                if random.chance(50) {
                    decision.plan = CarePlan(received: optionalDay(&random), established: optionalDay(&random),
                                             revised: optionalDay(&random),
                                             personTookPart: random.chance(50) ? random.chance(50) : nil,
                                             notTakenPartReason: optionalText(&random))
                }
                decision.decidedOn = optionalDay(&random)
                decision.offers = (0..<random.below(3)).map { _ in
                    Offer(on: day(&random), what: text(&random), accepted: random.chance(50))
                }
                decision.notCarriedOut = optionalText(&random)
                decision.interruptions = (0..<random.below(3)).map { _ in
                    var interruption = Interruption(from: day(&random), resumed: optionalDay(&random), reason: optionalText(&random))
                    interruption.ivoReported = random.chance(30) ? strings(&random) : nil
                    interruption.ivoClosingReported = optionalText(&random)
                    return interruption
                }
                decision.delayReason = optionalText(&random)
                decision.consequences = optionalText(&random)
                decision.ivoReported = strings(&random)
                decision.ivoClosingReported = optionalText(&random)
                decision.postponedOn = random.chance(20) ? Fuzz.day(&random) : nil
                client.decisions.append(decision)
            }
            client.followUps = (0..<random.below(3)).map { f in
                FollowUp(id: "f\(f)", date: day(&random), form: random.pick(FollowUpForm.allCases),
                         trigger: random.pick(FollowUpTrigger.allCases), participants: strings(&random),
                         outcome: random.chance(50) ? random.pick(FollowUpOutcome.allCases) : nil,
                         notes: optionalText(&random), decisionIDs: random.chance(50) ? strings(&random) : nil,
                         journal: optionalText(&random))
            }
            client.reminders = (0..<random.below(3)).map { r in
                Reminder(id: "r\(r)", decisionID: optionalText(&random), kind: random.pick(DueKind.allCases),
                         due: day(&random), ruleDue: optionalDay(&random), text: optionalText(&random),
                         priority: random.pick(Priority.allCases), status: random.pick(ReminderStatus.allCases),
                         doneOn: optionalDay(&random))
            }
            if random.chance(30) {
                var answers: [String: ChecklistAnswer] = [:]
                for _ in 0..<random.below(4) {
                    answers[text(&random)] = ChecklistAnswer(mark: random.pick([.open, .done, .notApplicable]),
                                                             note: optionalText(&random), date: optionalDay(&random))
                }
                client.draft = FollowUpDraft(date: day(&random), form: random.pick(FollowUpForm.allCases),
                                             trigger: random.pick(FollowUpTrigger.allCases), participants: strings(&random),
                                             answers: answers, decisionIDs: strings(&random),
                                             phase: random.pick(ChecklistPhase.allCases), cursor: optionalText(&random),
                                             journal: optionalText(&random), reminderID: optionalText(&random),
                                             outcome: random.chance(50) ? random.pick(FollowUpOutcome.allCases) : nil)
            }
            caseload.clients.append(client)
        }
        return caseload
    }

    /// Tokens that are valid JSON somewhere, or almost: each is the reference's to judge where it lands.
    static let insertions: [String] = [
        " ", "\n", "\r", "\t", "null", ",", ":", "\"", "\\", "\\u0041", "\\ud83d\\ude00", "\\ud800", "\\u00e5", "1e3",
        "1.0", "-0", "007", "0.10000000000000000555", "\"x\":1,", "\"id\":\"dubbel\",", "\"law\":\"LSS\",", "{}", "[]",
        "true", "false", "\u{FF}", "\u{C3}", "\"2026-02-30\"", "\"20261122\"", "\"hemtjänst\"", "]}", "},", "\u{0}",
    ]

    /// One to three edits: a byte changed, removed or repeated, a token put in, a key renamed,
    /// a value replaced, lines swapped or joined.
    public static func mutate(_ bytes: inout [UInt8], _ random: inout SeededRandom) {
        for _ in 0..<(1 + random.below(3)) {
            guard !bytes.isEmpty else { return }
            let at = random.below(bytes.count)
            switch random.below(9) {
            case 0: bytes[at] = UInt8(truncatingIfNeeded: random.next())
            case 1: bytes.remove(at: at)
            case 2: bytes.insert(contentsOf: Array(random.pick(insertions).utf8), at: at)
            case 3:
                // Just after a quote, where a key or a value starts.
                if let quote = bytes[at...].firstIndex(of: UInt8(ascii: "\"")) {
                    bytes.insert(contentsOf: Array(random.pick(insertions).utf8), at: quote + 1)
                }
            case 4:
                // A value swapped for another value of another kind.
                if let colon = bytes[at...].firstIndex(of: UInt8(ascii: ":")) {
                    let value = random.pick(["null", "1", "1.5", "\"x\"", "true", "[]", "{}", "\"2026-11-22\"", "-1", "721"])
                    var end = colon + 1
                    var depth = 0, inString = false, escaped = false
                    while end < bytes.count {
                        let byte = bytes[end]
                        if inString {
                            if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
                        } else if byte == 0x22 { inString = true } else if byte == 0x7B || byte == 0x5B { depth += 1 } else if byte == 0x7D || byte == 0x5D {
                            if depth == 0 { break }
                            depth -= 1
                        } else if byte == 0x2C && depth == 0 { break }
                        end += 1
                    }
                    bytes.replaceSubrange((colon + 1)..<end, with: Array(value.utf8))
                }
            case 5:
                // A known key renamed to another known key (a duplicate) or to an unknown one.
                let keys = ["\"id\"", "\"name\"", "\"pnr\"", "\"from\"", "\"law\"", "\"date\"", "\"due\"", "\"kind\"", "\"okänd\"", "\"Id\""]
                let text = String(decoding: bytes, as: UTF8.self)
                let from = random.pick(keys), to = random.pick(keys)
                if let range = text.range(of: from + ":") {
                    bytes = Array(text.replacingCharacters(in: range, with: to + ":").utf8)
                }
            case 6:
                let end = min(bytes.count, at + 1 + random.below(20))
                bytes.insert(contentsOf: bytes[at..<end], at: end)
            case 7:
                // Two lines swapped (a comma out of place) or a line's newline removed.
                var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
                if lines.count > 3 {
                    let a = random.below(lines.count), b = random.below(lines.count)
                    if random.chance(50) { lines.swapAt(a, b) } else if a + 1 < lines.count {
                        lines[a] += lines.remove(at: a + 1)
                    }
                    bytes = Array(lines.joined(separator: [0x0A]))
                }
            default:
                bytes.removeSubrange(at..<min(bytes.count, at + 1 + random.below(8)))
            }
        }
    }
}
