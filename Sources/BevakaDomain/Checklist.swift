/// The three phases of a follow-up.
public enum ChecklistPhase: String, Codable, Sendable, CaseIterable {
    case prepare, visit, after

    public var label: String {
        switch self {
        case .prepare: return "Förberedelse"
        case .visit: return "Besök"
        case .after: return "Efter"
        }
    }
}

/// What answering an item means.
public enum ChecklistItemType: String, Codable, Sendable {
    /// Done or not applicable, with an optional note.
    case tick
    /// A question with a free-text answer.
    case question
    /// A date (e.g. when the plan was established).
    case date
}

/// When an item applies. Items with a decision condition are repeated per matching decision.
public enum ChecklistCondition: String, Codable, Sendable {
    case always
    /// R10: the provider is private and consent is needed to read its plan.
    case privateProvider
    /// Seed 000: the provider has no access to the case system.
    case providerWithoutCaseSystem
    /// Seed 003: personlig assistans → check the provider's IVO permit.
    case personalAssistance
    /// R7 / seed 001: hemtjänst with granted time.
    case grantedTime
    /// Seed 001: rambeslut.
    case frameDecision
    /// R5 / seed 003: the plan is older than the profile's limit.
    case planStale
    /// R4 / seed 003: no plan is recorded.
    case planMissing
    /// Seed 003: the person is a child or lives with children.
    case child
    /// R9 / seed 003: the decision has ended.
    case decisionEnded

    /// Conditions that look at one decision (the item is then tied to it).
    public var isPerDecision: Bool {
        switch self {
        case .always, .child: return false
        default: return true
        }
    }
}

/// One line of a routine's checklist, as data.
public struct ChecklistTemplate: Codable, Sendable, Equatable {
    public var id: String
    public var phase: ChecklistPhase
    public var text: String
    public var type: ChecklistItemType
    public var condition: ChecklistCondition
    public var required: Bool
    /// The routine and its wording the item comes from.
    public var source: String

    public init(_ id: String, _ phase: ChecklistPhase, _ text: String, type: ChecklistItemType = .tick,
                when condition: ChecklistCondition = .always, required: Bool = true, source: String) {
        self.id = id
        self.phase = phase
        self.text = text
        self.type = type
        self.condition = condition
        self.required = required
        self.source = source
    }
}

/// One item of a person's follow-up: a template, possibly tied to one decision.
public struct ChecklistEntry: Sendable, Equatable, Identifiable {
    public var template: ChecklistTemplate
    public var profiles: [String]
    public var decisionID: String?
    public var service: String?

    /// Stable across sessions: template id, plus the decision for per-decision items.
    public var id: String { decisionID.map { "\(template.id)@\($0)" } ?? template.id }
}

public enum ChecklistLibrary {
    /// The built-in items per profile, in order. Each cites its seed.
    public static func templates(for profile: String) -> [ChecklistTemplate] {
        switch profile {
        case "sabo": return sabo
        case "lss": return lss
        default: return hemtjanst
        }
    }

    static let sabo: [ChecklistTemplate] = [
        .init("sabo.granska", .prepare, "Granska behovsutredningen och aktuell genomförandeplan",
              source: "000: granska behovsutredningen och aktuell genomförandeplan"),
        .init("sabo.planuppdaterad", .prepare, "Säkerställ att planen är uppdaterad och följer behoven",
              source: "000: säkerställ att genomförandeplanen är uppdaterad och följer den enskildes behov"),
        .init("samtycke", .prepare, "Kontrollera samtycke till att ta del av privat utförares plan",
              when: .privateProvider, source: "000: samtycke krävs (privat regi); 001: samtycke för privata utförare"),
        .init("sabo.chef", .prepare, "Informera chefen på boendet om uppföljningen",
              source: "000: informera aktuell chef på vård- och omsorgsboendet"),
        .init("sabo.begarplan", .prepare, "Begär in genomförandeplan och övrig dokumentation av ansvarig chef",
              when: .providerWithoutCaseSystem, source: "000: utförare utan tillgång till Treserva"),
        .init("bokamote", .prepare, "Boka uppföljningsmöte eller hembesök",
              source: "000: boka uppföljningsmöte/hembesök"),
        .init("egenuppfattning", .visit, "Hur upplever du din situation och ditt stöd?", type: .question,
              source: "000: uppfattning om hur den enskilde upplever sin situation; 003: hur den enskilde uppfattar insatsen"),
        .init("sabo.medverkan", .visit, "Dokumentera om den enskilde inte medverkade, och varför", required: false,
              source: "000: dokumentera om den enskilde inte medverkat samt orsak"),
        .init("ibic", .visit, "Behov, mål och resultat: vilka mål gäller, och hur har det gått?", type: .question, required: false,
              source: "003: följ upp insatsen mot fastställt mål; 001: utredningen utgår från IBIC (behov, mål, resultat)"),
        .init("handelser", .after, "Fakta och händelser av betydelse sedan förra uppföljningen?", type: .question, required: false,
              source: "003: åtgärder vid uppföljningen ska dokumenteras; 14 kap. 3 § SoL (2025:400): faktiska omständigheter och händelser av betydelse"),
        .init("metod", .after, "Vilka standardiserade bedömningsmetoder användes (eller inga)?", type: .question,
              source: "003: om nämnden har använt standardiserade bedömningsmetoder (vad journalanteckningen ska visa)"),
        .init("klagomal", .after, "Har den enskilde framfört klagomål, och vilka åtgärder har vidtagits?", type: .question,
              source: "003: om den enskilde har framfört några klagomål och vilka åtgärder (vad journalanteckningen ska visa)"),
        .init("handelse", .after, "Registrera uppföljningen som händelse och skriv journalanteckning",
              source: "000: händelsetyp Uppföljning av pågående beslut samt journalanteckning"),
        .init("sabo.aterkoppling", .after, "Återkoppla till boendets chef med eventuella synpunkter",
              source: "000: chefen meddelas att uppföljning gjorts samt eventuella synpunkter"),
        .init("avvikelse", .after, "Registrera avvikelser som kommit fram", required: false,
              source: "000: avvikelser görs enligt gällande rutin"),
        .init("sabo.brister", .after, "Informera utföraren om brister i planen mot behov och mål", required: false,
              source: "000: utföraren ska informeras om de brister som framkom"),
        .init("nastabevakning", .after, "Sätt ny bevakning ett år framåt",
              source: "000: ett nytt bevakningsdatum registreras ett år framåt"),
    ]

    static let hemtjanst: [ChecklistTemplate] = [
        .init("hem.hur", .prepare, "Hur genomförs uppföljningen bäst?", type: .question,
              source: "001: hur bedömer du att uppföljningen bäst kan genomföras"),
        .init("hem.onskemal", .prepare, "Hur vill den enskilde genomföra uppföljningen?", type: .question,
              source: "001: hur vill den enskilde genomföra uppföljningen"),
        .init("hem.vilka", .prepare, "Vilka vill den enskilde ska delta?", type: .question,
              source: "001: vilka vill den enskilde ska delta"),
        .init("hem.andra", .prepare, "Vilka andra behöver delta?", type: .question, required: false,
              source: "001: vilka andra personer behöver delta"),
        .init("hem.underlag", .prepare, "Begär underlag från utföraren (mallen)",
              source: "001: kontakt för att efterfråga underlag"),
        .init("samtycke", .prepare, "Kontrollera samtycke till att ta del av privat utförares plan",
              when: .privateProvider, source: "001: åtkomst till privata utförares underlag om den enskilde gett samtycke"),
        .init("hem.tid", .prepare, "Jämför beviljad och utförd tid (±5 %)", when: .grantedTime,
              source: "001: ta del av den utförda tiden; rimlig avvikelse cirka ±5 %"),
        .init("hem.plan", .prepare, "Gå igenom genomförandeplan och genomförandejournal",
              source: "001: gå igenom aktuell genomförandeplan, genomförandejournal; 004: planen är underlag"),
        .init("hem.behov", .visit, "Hur ser behoven ut idag – har de förändrats?", type: .question,
              source: "001: fokusera på den enskildes behov; 002: hur ser hjälpbehovet ut idag"),
        .init("egenuppfattning", .visit, "Hur upplever du kvaliteten på hjälpen?", type: .question,
              source: "001: upplevelse av kvalitet; 002: hur har hjälpen upplevts"),
        .init("hem.delaktig", .visit, "Har du fått vara delaktig i genomförandeplanen?", type: .question,
              source: "002: har hon fått vara delaktig i utformandet"),
        .init("hem.tidsatgang", .visit, "Stäm av tidsåtgången och avböjda besök mot journalen", when: .grantedTime,
              source: "001: om all tid inte utförs kan det bero på avböjda besök"),
        .init("hem.ram", .visit, "Ryms behoven i den beviljade tiden, och är rambeslut rätt form?", type: .question,
              when: .frameDecision, source: "001: säkerställ att behoven kan tillgodoses inom tiden och att rambeslut är rätt beslutsform"),
        .init("medverkan", .visit, "Hur medverkade den enskilde i uppföljningen, eller varför inte?", type: .question, required: false,
              source: "000: dokumentera om den enskilde inte medverkat samt orsak; 10 kap. 3 § SoL (2025:400): utformas och genomförs tillsammans med den enskilde"),
        .init("ibic", .visit, "Behov, mål och resultat: vilka mål gäller, och hur har det gått?", type: .question, required: false,
              source: "003: följ upp insatsen mot fastställt mål; 001: utredningen utgår från IBIC (behov, mål, resultat)"),
        .init("handelser", .after, "Fakta och händelser av betydelse sedan förra uppföljningen?", type: .question, required: false,
              source: "003: åtgärder vid uppföljningen ska dokumenteras; 14 kap. 3 § SoL (2025:400): faktiska omständigheter och händelser av betydelse"),
        .init("metod", .after, "Vilka standardiserade bedömningsmetoder användes (eller inga)?", type: .question,
              source: "003: om nämnden har använt standardiserade bedömningsmetoder (vad journalanteckningen ska visa)"),
        .init("klagomal", .after, "Har den enskilde framfört klagomål, och vilka åtgärder har vidtagits?", type: .question,
              source: "003: om den enskilde har framfört några klagomål och vilka åtgärder (vad journalanteckningen ska visa)"),
        .init("handelse", .after, "Registrera uppföljningen som händelse och skriv journalanteckning",
              source: "000, 003: dokumentera uppföljningen och journalanteckning"),
        .init("avvikelse", .after, "Registrera avvikelser som kommit fram", required: false,
              source: "000: avvikelser görs enligt gällande rutin"),
        .init("nastabevakning", .after, "Sätt ny bevakning ett år framåt",
              source: "000: nytt bevakningsdatum ett år framåt; 002: nästa uppföljning planeras om ett år"),
    ]

    static let lss: [ChecklistTemplate] = [
        .init("lss.utredning", .prepare, "Ta fram aktuell utredning", source: "003: aktuell utredning"),
        .init("lss.plandatum", .prepare, "När upprättades genomförandeplanen?", type: .date,
              source: "003: dokumentera när genomförandeplan är upprättad"),
        .init("lss.planalder", .prepare, "Planen är äldre än 6 månader: beskriv åtgärd", type: .question,
              when: .planStale, source: "003: om det gått mer än 6 månader, beskriv åtgärd"),
        .init("lss.plansaknas", .prepare, "Planen saknas: anteckna i akten, följ upp extra, lägg avvikelse vid behov",
              when: .planMissing, source: "003: om inte genomförandeplanen är upprättad ska handläggarna notera detta i akten"),
        .init("lss.ivo", .prepare, "Kontrollera anordnarens IVO-tillstånd (inga personuppgifter i webbformuläret)",
              when: .personalAssistance, source: "003: kontrollera att anordnaren har tillstånd att bedriva personlig assistans"),
        .init("lss.individuellplan", .prepare, "Finns individuell plan enligt LSS?", required: false,
              source: "003: ev. individuell plan LSS"),
        .init("samtycke", .prepare, "Kontrollera samtycke till att ta del av privat utförares plan",
              when: .privateProvider, source: "000/001: samtycke krävs för privat utförares plan (R10)"),
        .init("lss.kallelse", .prepare, "Den enskilde bestämmer vilka som kallas (informationsbrev); verksamheten deltar alltid",
              source: "003: den enskilde får bestämma vilka som ska kallas; verksamheten ska alltid medverka"),
        .init("lss.vadstod", .visit, "Vad får du stöd med?", type: .question, source: "003: stödfrågor"),
        .init("lss.hurofta", .visit, "Hur ofta träffar du personalen?", type: .question, source: "003: stödfrågor"),
        .init("lss.gora", .visit, "Vad brukar du göra med personalen?", type: .question, source: "003: stödfrågor"),
        .init("lss.grannar", .visit, "Umgås du med dina grannar?", type: .question, required: false,
              source: "003: stödfrågor"),
        .init("lss.andra", .visit, "Finns det något du skulle vilja göra eller ändra på?", type: .question,
              source: "003: stödfrågor"),
        .init("lss.delaktigplan", .visit, "Har du varit delaktig när genomförandeplanen gjordes?", type: .question,
              source: "003: stödfrågor"),
        .init("lss.planerar", .visit, "Är du med och planerar hur du ska få stöd?", type: .question,
              source: "003: stödfrågor"),
        .init("lss.vemvander", .visit, "Vem vänder du dig till när du vill ha hjälp eller ändra något?", type: .question,
              source: "003: stödfrågor"),
        .init("lss.kvarstar", .visit, "Vilka behov kvarstår? Har behov tillkommit?", type: .question,
              source: "003: med utredning/beslut som grund"),
        .init("egenuppfattning", .visit, "Hur uppfattar du insatsen i förhållande till dina behov och önskemål?",
              type: .question, source: "003: hur den enskilde uppfattar insatsen"),
        .init("lss.barn", .visit, "Barnperspektivet: fråga barnen om deras upplevelse av insatsen", type: .question,
              when: .child, source: "003: beakta barnperspektivet och fråga barnen"),
        .init("medverkan", .visit, "Hur medverkade den enskilde i uppföljningen, eller varför inte?", type: .question, required: false,
              source: "000: dokumentera om den enskilde inte medverkat samt orsak; 10 kap. 3 § SoL (2025:400): utformas och genomförs tillsammans med den enskilde"),
        .init("ibic", .visit, "Behov, mål och resultat: vilka mål gäller, och hur har det gått?", type: .question, required: false,
              source: "003: följ upp insatsen mot fastställt mål; 001: utredningen utgår från IBIC (behov, mål, resultat)"),
        .init("handelser", .after, "Fakta och händelser av betydelse sedan förra uppföljningen?", type: .question, required: false,
              source: "003: åtgärder vid uppföljningen ska dokumenteras; 14 kap. 3 § SoL (2025:400): faktiska omständigheter och händelser av betydelse"),
        .init("metod", .after, "Vilka standardiserade bedömningsmetoder användes (eller inga)?", type: .question,
              source: "003: om nämnden har använt standardiserade bedömningsmetoder"),
        .init("bedomning", .after, "Bedömning: genomförd enligt beslut? Den enskildes situation?", type: .question,
              source: "003: vilken bedömning nämnden har gjort"),
        .init("klagomal", .after, "Har den enskilde framfört klagomål, och vilka åtgärder har vidtagits?", type: .question,
              source: "003: om den enskilde har framfört några klagomål och vilka åtgärder"),
        .init("lss.lopt", .after, "Beslutet har löpt ut: informera om att ansöka på nytt", when: .decisionEnded,
              source: "003: information om att den enskilde behöver ansöka på nytt"),
        .init("lss.andrat", .after, "Väsentligt ändrat behov: inled ny utredning", required: false,
              source: "003: ny prövning i form av ny utredning"),
        .init("lss.sektionschef", .after, "Återkoppla synpunkter till berörd sektionschef", required: false,
              source: "003: återkopplar handläggaren till berörd sektionschef i dialogform"),
        .init("handelse", .after, "Skriv journalanteckning om att uppföljningen är genomförd",
              source: "003: en journalanteckning görs i akten"),
        .init("nastabevakning", .after, "Sätt nästa bevakning (en månad före nästa uppföljning)",
              source: "003: bevakningar läggs med 1 månads framförhållning"),
    ]

    /// The follow-up checklist for a person: every running (or just ended) decision's profile,
    /// each item once (R8), per-decision items repeated for the decisions they apply to.
    /// `decisionIDs` limits it to the decisions a started follow-up covers.
    public static func build(for client: Client, routines: RoutineSet, checklists: ChecklistSet = .standard,
                             today: Day, decisionIDs: [String]? = nil) -> [ChecklistEntry] {
        let decisions = client.decisions.filter { decision in
            decision.closedOn == nil && (decisionIDs.map { $0.contains(decision.id) } ?? true)
        }
        var entries: [ChecklistEntry] = []
        var seen: [String: Int] = [:]
        let child = client.livesWithChildren == true || (client.personnummer.age(on: today).map { $0 < 18 } ?? false)
        for phase in ChecklistPhase.allCases {
            for decision in decisions {
                let profile = routines.profile(for: decision)
                for template in checklists.templates(for: profile.id) where template.phase == phase {
                    if template.condition.isPerDecision {
                        guard applies(template.condition, to: decision, profile: profile, today: today) else { continue }
                        let entry = ChecklistEntry(template: template, profiles: [profile.id], decisionID: decision.id,
                                                   service: decision.service)
                        if seen[entry.id] == nil {
                            seen[entry.id] = entries.count
                            entries.append(entry)
                        }
                    } else {
                        if template.condition == .child && !child { continue }
                        if let index = seen[template.id] {
                            if !entries[index].profiles.contains(profile.id) { entries[index].profiles.append(profile.id) }
                            continue
                        }
                        seen[template.id] = entries.count
                        entries.append(ChecklistEntry(template: template, profiles: [profile.id]))
                    }
                }
            }
        }
        return entries
    }

    /// The checklist of a follow-up in progress: built on the day it started, so conditions
    /// (a plan older than six months) do not shift when it is resumed another day.
    public static func entries(for client: Client, draft: FollowUpDraft, routines: RoutineSet,
                               checklists: ChecklistSet = .standard) -> [ChecklistEntry] {
        build(for: client, routines: routines, checklists: checklists, today: draft.date, decisionIDs: draft.decisionIDs)
    }

    static func applies(_ condition: ChecklistCondition, to decision: Decision, profile: RoutineProfile,
                        today: Day) -> Bool {
        switch condition {
        case .always, .child: return true
        case .privateProvider:
            guard let provider = decision.provider else { return false }
            return provider.regi == .private || profile.consentRule == .always
        case .providerWithoutCaseSystem: return decision.provider?.caseSystemAccess == false
        case .personalAssistance: return ServiceCatalog.normalise(decision.service) == "personlig assistans"
        case .grantedTime: return profile.timeTolerancePercent != nil && decision.grantedHours != nil
        case .frameDecision: return decision.form == .frame
        case .planStale: return RuleEngine.carePlanStaleDue(decision, profile: profile).map { $0 <= today } ?? false
        case .planMissing: return decision.plan?.currentDate == nil
        case .decisionEnded: return decision.hasEnded(on: today)
        }
    }
}


/// The checklist items of every profile: the built-in ones, with the user's additions and
/// rewordings applied (see `ChecklistFile` in BevakaStore).
public struct ChecklistSet: Sendable, Equatable {
    public var profiles: [String: [ChecklistTemplate]]

    public init(profiles: [String: [ChecklistTemplate]]) {
        self.profiles = profiles
    }

    public static let standard = ChecklistSet(profiles: Dictionary(uniqueKeysWithValues:
        RoutineProfile.builtIn.map { ($0.id, ChecklistLibrary.templates(for: $0.id)) }))

    public func templates(for profile: String) -> [ChecklistTemplate] {
        profiles[profile] ?? ChecklistLibrary.templates(for: profile)
    }

    /// Every item id used in any profile (an addition must not reuse one).
    public var allIDs: Set<String> {
        Set(profiles.values.flatMap { $0.map(\.id) })
    }
}
