import BevakaTestSupport
import Foundation
import Testing
@testable import BevakaDomain

@Suite struct ChecklistTests {

    func ids(_ entries: [ChecklistEntry]) -> Set<String> { Set(entries.map(\.id)) }

    @Test func privateSaboAsksForConsentAndTheSaboSteps() {
        let sabo = decision("d1", service: "vård- och omsorgsboende", from: "2025-06-01",
                            provider: Provider(name: "Lindängen AB", regi: .private, caseSystemAccess: false),
                            plan: "2025-06-10")
        let entries = ChecklistLibrary.build(for: client([sabo]), routines: .standard, today: today)
        let all = ids(entries)
        #expect(all.contains("samtycke@d1"))
        #expect(all.contains("sabo.begarplan@d1"))  // no access to the case system
        #expect(all.contains("sabo.chef"))
        #expect(all.contains("nastabevakning"))
        #expect(!all.contains { $0.hasPrefix("hem.") || $0.hasPrefix("lss.") })
        // Phases in order.
        let phases = entries.map(\.template.phase)
        #expect(phases == phases.sorted { ChecklistPhase.allCases.firstIndex(of: $0)! < ChecklistPhase.allCases.firstIndex(of: $1)! })
        // Municipal: no consent item.
        let municipal = decision("d1", service: "vård- och omsorgsboende", from: "2025-06-01")
        #expect(!ids(ChecklistLibrary.build(for: client([municipal]), routines: .standard, today: today)).contains("samtycke@d1"))
    }

    @Test func municipalHemtjanstFrameDecisionWithSevenPercentDeviation() {
        let home = decision("d1", service: "hemtjänst", from: "2025-03-01", granted: 30, performed: 32.1, form: .frame)
        #expect(RuleEngine.timeDeviationPercent(home, profile: .hemtjanst) != nil)  // 7 %
        let all = ids(ChecklistLibrary.build(for: client([home]), routines: .standard, today: today))
        #expect(all.isSuperset(of: ["hem.tid@d1", "hem.tidsatgang@d1", "hem.ram@d1", "hem.underlag", "hem.behov"]))
        #expect(!all.contains("samtycke@d1"))
        let itemized = decision("d1", service: "hemtjänst", from: "2025-03-01", granted: 30, performed: 32.1, form: .itemized)
        #expect(!ids(ChecklistLibrary.build(for: client([itemized]), routines: .standard, today: today)).contains("hem.ram@d1"))
    }

    @Test func lssPersonalAssistanceWithAStalePlan() {
        let assistance = decision("d1", law: .lss, service: "personlig assistans", from: "2024-01-01",
                                  provider: Provider(name: "Assistans AB", regi: .private), consent: .given,
                                  plan: "2025-12-01")
        let all = ids(ChecklistLibrary.build(for: client([assistance]), routines: .standard, today: today))
        #expect(all.isSuperset(of: ["lss.ivo@d1", "lss.planalder@d1", "lss.vadstod", "lss.kvarstar", "samtycke@d1"]))
        #expect(!all.contains("lss.plansaknas@d1"))
        #expect(!all.contains("lss.barn"))  // an adult living alone
        let fresh = decision("d1", law: .lss, service: "daglig verksamhet", from: "2024-01-01", plan: "2026-10-01")
        let freshIDs = ids(ChecklistLibrary.build(for: client([fresh]), routines: .standard, today: today))
        #expect(!freshIDs.contains("lss.planalder@d1"))
        #expect(!freshIDs.contains("lss.ivo@d1"))
        var family = client([fresh])
        family.livesWithChildren = true
        #expect(ids(ChecklistLibrary.build(for: family, routines: .standard, today: today)).contains("lss.barn"))
    }

    @Test func severalDecisionsGiveEachCommonItemOnceAndTagDecisionItems() {
        let home = decision("d1", service: "hemtjänst", from: "2025-03-01", granted: 20, performed: 20)
        let lss = decision("d2", law: .lss, service: "personlig assistans", from: "2025-03-01",
                           provider: Provider(name: "Assistans AB", regi: .private))
        let entries = ChecklistLibrary.build(for: client([home, lss]), routines: .standard, today: today)
        #expect(entries.filter { $0.template.id == "nastabevakning" }.count == 1)
        #expect(entries.first { $0.template.id == "nastabevakning" }?.profiles.sorted() == ["hemtjanst", "lss"])
        #expect(entries.first { $0.id == "lss.ivo@d2" }?.service == "personlig assistans")
        #expect(Set(entries.map(\.id)).count == entries.count)
    }

    @Test func everyItemCitesASeed() {
        for profile in ["sabo", "hemtjanst", "lss"] {
            for template in ChecklistLibrary.templates(for: profile) {
                #expect(template.source.range(of: #"^00[0-4]"#, options: .regularExpression) != nil, "\(template.id)")
                #expect(!template.text.isEmpty)
            }
        }
    }

    @Test func theJournalDraftHasEveryPartSeed003Requires() {
        let lss = decision("d1", law: .lss, service: "daglig verksamhet", from: "2024-01-01", plan: "2026-03-01")
        let person = client([lss])
        let entries = ChecklistLibrary.build(for: person, routines: .standard, today: today)
        var draft = FollowUpDraft(date: today, form: .homeVisit, trigger: .ownPlan,
                                  participants: ["den enskilde", "god man", "handläggare"])
        draft.answers["egenuppfattning"] = ChecklistAnswer(mark: .done, note: "Trivs bra, vill jobba mer i köket.")
        draft.answers["bedomning"] = ChecklistAnswer(mark: .done, note: "Insatsen genomförs enligt beslut.")
        draft.answers["klagomal"] = ChecklistAnswer(mark: .done, note: "Klagade på skjutsen; utföraren kontaktad.")
        draft.answers["lss.planalder@d1"] = ChecklistAnswer(mark: .done, note: "Revidering bokad.")
        let text = JournalDraft.text(client: person, draft: draft, entries: entries, today: today)
        #expect(text.contains("Uppföljning 2026-11-22 genom hembesök"))           // when and how
        #expect(text.contains("Den enskildes uppfattning:\n"))
        // Each answer on its own, indented under its question, its lines kept.
        var twoLines = draft
        let question = entries.first { $0.template.id == "egenuppfattning" }?.template.text ?? "?"
        twoLines.answers["egenuppfattning"] = ChecklistAnswer(mark: .done, note: "Trivs bra.\nVill jobba mer i köket.")
        let separated = JournalDraft.text(client: person, draft: twoLines, entries: entries, today: today)
        #expect(separated.contains("Den enskildes uppfattning:\n\(question)\n  Trivs bra.\n  Vill jobba mer i köket.\n"))
        // A one-line part of the record keeps a multi-line answer on its line.
        twoLines.answers["klagomal"] = ChecklistAnswer(mark: .done, note: "Klagade på skjutsen.\nUtföraren kontaktad.")
        #expect(JournalDraft.text(client: person, draft: twoLines, entries: entries, today: today)
                .contains("Klagomål: Klagade på skjutsen. Utföraren kontaktad."))
        #expect(text.contains("Standardiserade bedömningsmetoder: [skriv:"))  // not answered: not "inga"
        #expect(text.contains("Bedömning:") && text.contains("enligt beslut"))
        #expect(text.contains("Klagomål:") && text.contains("skjutsen"))
        #expect(text.contains("Genomförandeplan: daglig verksamhet: upprättad 2026-03-01 (äldre än 6 månader; åtgärd: Revidering bokad.)"))
        #expect(text.contains("Deltagare: den enskilde, god man, handläggare."))
        // Unanswered parts are marked for the handläggare to write, not left out.
        let empty = JournalDraft.text(client: person, draft: FollowUpDraft(date: today, form: .phone, trigger: .ownPlan),
                                      entries: entries, today: today)
        #expect(empty.contains("Bedömning: [skriv: bedömningen"))
        // What 14 kap. 3 § and 10 kap. 3 § SoL (2025:400) ask of the note, in IBIC's words: each part
        // a placeholder when nothing was recorded, the answer when something was.
        for part in ["Fakta och händelser av betydelse: [skriv:", "Den enskildes medverkan: [skriv:",
                     "Behov, mål och resultat: [skriv:", "Insatser som följts upp: daglig verksamhet"] {
            #expect(empty.contains(part), "\(part)")
        }
        var told = draft
        told.answers["handelser"] = ChecklistAnswer(mark: .done, note: "Flyttade till ny lägenhet i oktober.")
        told.answers["medverkan"] = ChecklistAnswer(mark: .done, note: "Deltog hela mötet med god man.")
        told.answers["ibic"] = ChecklistAnswer(mark: .done, note: "Mål: mer tid i köket. Resultat: två dagar i veckan.")
        let full = JournalDraft.text(client: person, draft: told, entries: entries, today: today)
        #expect(full.contains("Fakta och händelser av betydelse: Flyttade till ny lägenhet i oktober."))
        #expect(full.contains("Den enskildes medverkan: Deltog hela mötet med god man."))
        #expect(full.contains("Behov, mål och resultat: Mål: mer tid i köket. Resultat: två dagar i veckan."))
        // Asked once each, not also under the person's own view.
        #expect(full.components(separatedBy: "Deltog hela mötet").count == 2)
    }

    /// Issue 9: with nothing answered, every part that states a fact about the visit is a
    /// placeholder, for each profile; no sentence claims what nobody recorded.
    @Test(arguments: [
        ("hemtjänst", Law.sol, "hemtjanst"),
        ("vård- och omsorgsboende", Law.sol, "sabo"),
        ("daglig verksamhet", Law.lss, "lss"),
    ])
    func theJournalWithNothingAnsweredHoldsOnlyPlaceholders(service: String, law: Law, profile: String) {
        // No plan date, a private provider, an ended decision: the most there is to invent.
        var running = decision("d1", law: law, service: service, from: "2024-01-01", plan: nil)
        running.provider = Provider(name: "Omsorg AB", regi: .private)
        let person = client([running])
        #expect(RoutineSet.standard.profile(for: running).id == profile)
        let entries = ChecklistLibrary.build(for: person, routines: .standard, today: today)
        // The questions behind the journal's parts are asked in every profile (seed 003).
        let ids = Set(entries.map(\.template.id))
        #expect(ids.contains("metod") && ids.contains("klagomal"), "\(profile)")
        let journalQuestions = entries.filter { ["metod", "klagomal"].contains($0.template.id) }
        #expect(journalQuestions.allSatisfy { $0.template.required })
        for outcome in [nil, FollowUpOutcome.decisionEnded] {
            var draft = FollowUpDraft(date: today, form: .homeVisit, trigger: .ownPlan)
            draft.outcome = outcome
            let text = JournalDraft.text(client: person, draft: draft, entries: entries, today: today)
            for part in ["Den enskildes uppfattning: [skriv:", "Standardiserade bedömningsmetoder: [skriv:",
                         "Klagomål: [skriv:", "Genomförandeplan: \(service): [skriv:"] {
                #expect(text.contains(part), "\(profile): \(part)\n\(text)")
            }
            if outcome == nil { #expect(text.contains("Bedömning: [skriv:"), "\(profile)") }
            // Claims nothing supports: none of these may appear.
            for claim in ["inga standardiserade", "inte framfört", "har informerats", "saknas vid uppföljningen",
                          "Deltagare:", "Resultat:", "ny utredning inleds"] {
                #expect(!text.contains(claim), "\(profile): \"\(claim)\" in\n\(text)")
            }
            // The assessment, when it comes from the outcome, is stated once.
            if let outcome {
                #expect(text.components(separatedBy: "löpt ut").count - 1 == 1, "\(text)")
                #expect(text.contains("Information om att ansöka på nytt: [skriv:"), "\(outcome)")
            }
        }
    }

    @Test func theUnderlagMessageIsFilledInAndAsksAboutTimeOnlyWhereItApplies() throws {
        var short = decision("d1", service: "hemtjänst", from: "2025-03-01", granted: 30, performed: 26,
                             provider: Provider(name: "Omsorg i Väst AB", regi: .private))
        var person = client([short])
        person.name = "Märta Åberg"
        let message = try #require(UnderlagRequest.messages(client: person, followUpBy: d("2026-12-15"),
                                                            today: today, sender: "Karin Handläggare").first)
        #expect(message.provider == "Omsorg i Väst AB")
        #expect(message.text.contains("senast 2026-12-15 följa upp pågående beslut om hemtjänst för Märta Åberg, 19200101-1564"))
        #expect(message.text.contains("- uppdaterad genomförandeplan"))
        #expect(message.text.contains("- sammanställda daganteckningar"))
        #expect(message.text.contains("kring Märtas situation"))
        #expect(message.text.contains("varför inte all tid utförts"))
        #expect(message.text.hasSuffix("Karin Handläggare\n"))
        short.performedHours = 30
        let full = UnderlagRequest.messages(client: client([short]), followUpBy: d("2026-12-15"), today: today, sender: nil)
        #expect(!(full.first?.text.contains("varför inte all tid") ?? true))
        #expect(full.first?.text.contains("[ditt namn]") == true)
    }
}

@Suite struct ChecklistDocumentationTests {
    /// docs/checklists.md lists every built-in item with its text and source, so the note to the
    /// team and the users' documentation cannot drift from the data.
    @Test func theDocumentationListsEveryItem() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/checklists.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        for profile in ["sabo", "hemtjanst", "lss"] {
            for template in ChecklistLibrary.templates(for: profile) {
                #expect(text.contains("| `\(template.id)` |"), "\(profile): \(template.id)")
                #expect(text.contains(template.text), "\(template.id)")
                #expect(text.contains(template.source), "\(template.id)")
            }
        }
    }

}

/// Issue 35, item 21: the routines an item comes from by name, several together, and another
/// profile's routine named as the model it is.
@Suite struct RoutineSourceNameTests {
    @Test func sourcesNameTheirRoutines() {
        #expect(RoutineSources.named("000, 003: dokumentera uppföljningen och journalanteckning")
                == "SÄBO-rutinen 2022 och LSS-rutinen 2021: dokumentera uppföljningen och journalanteckning")
        #expect(RoutineSources.named("000/001: samtycke krävs")
                == "SÄBO-rutinen 2022 och underlagsrutinen för hemtjänst 2024: samtycke krävs")
        #expect(RoutineSources.named("003: följ upp insatsen mot fastställt mål", profiles: ["hemtjanst"])
                == "LSS-rutinen 2021 (som förebild): följ upp insatsen mot fastställt mål")
        #expect(RoutineSources.named("003: följ upp insatsen mot fastställt mål", profiles: ["hemtjanst", "lss"])
                == "LSS-rutinen 2021: följ upp insatsen mot fastställt mål")
        #expect(RoutineSources.named("10 kap. 3 § SoL (2025:400): utformas tillsammans") == "10 kap. 3 § SoL (2025:400): utformas tillsammans")
        // No item of the built-in lists is left with a bare number before its colon.
        for profile in ["sabo", "hemtjanst", "lss"] {
            for template in ChecklistLibrary.templates(for: profile) {
                let named = RoutineSources.named(template.source, profiles: [profile])
                #expect(named.range(of: #"(^|; )[0-9/, ]{3,}:"#, options: .regularExpression) == nil, "\(template.id): \(named)")
            }
        }
    }
}
