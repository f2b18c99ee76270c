import BevakaTestSupport
import BevakaDomain
import Foundation
import Testing
@testable import BevakaStore

/// The three-way merge behind the shared store's "never a lost update".
@Suite struct ClientMergeTests {
    let base = DemoCaseload.make(today: today).clients[0]

    func reminder(_ id: String, _ text: String) -> Reminder {
        Reminder(id: id, kind: .manual, due: today, text: text)
    }

    @Test func changesToDifferentPartsAreBothKept() {
        var mine = base
        mine.notes = "min anteckning"
        mine.reminders.append(reminder("r901", "min"))
        var theirs = base
        theirs.reminders.append(reminder("r902", "deras"))
        theirs.decisions[0].grantedHours = 31
        let result = ClientMerge.merge(base: base, mine: mine, theirs: theirs)
        #expect(result.notApplied.isEmpty)
        #expect(result.client.notes == "min anteckning")
        #expect(result.client.decisions[0].grantedHours == 31)
        #expect(result.client.reminders.map(\.id).suffix(2) == ["r902", "r901"])
    }

    @Test func theSameValueChangedBothWaysKeepsTheirsAndNamesIt() {
        var mine = base
        mine.decisions[0].grantedHours = 40
        mine.notes = "min"
        var theirs = base
        theirs.decisions[0].grantedHours = 35
        let result = ClientMerge.merge(base: base, mine: mine, theirs: theirs)
        #expect(result.client.decisions[0].grantedHours == 35)
        #expect(result.client.notes == "min")
        #expect(result.notApplied == ["beslut \(base.decisions[0].id) beviljad tid"])
    }

    @Test func aRecordRemovedOnOneSideAndUntouchedOnTheOtherStaysRemoved() {
        var mine = base
        mine.reminders.append(reminder("r903", "ny"))
        var theirs = base
        theirs.reminders.append(reminder("r904", "deras"))
        var base2 = base
        base2.reminders = base.reminders + [reminder("r905", "gammal")]
        mine.reminders += [reminder("r905", "gammal")]
        // theirs removed r905 (done and cleared); mine did not touch it.
        let result = ClientMerge.merge(base: base2, mine: mine, theirs: theirs)
        #expect(!result.client.reminders.contains { $0.id == "r905" })
        #expect(result.client.reminders.contains { $0.id == "r903" })
        #expect(result.client.reminders.contains { $0.id == "r904" })
    }

    @Test func checklistAnswersMergeAnswerByAnswer() {
        var started = base
        started.draft = FollowUpDraft.start(for: base, date: today, form: .homeVisit, trigger: .ownPlan)
        var mine = started
        mine.draft?.answers["hem.behov"] = ChecklistAnswer(mark: .done, note: "Behöver hjälp med dusch")
        var theirs = started
        theirs.draft?.answers["hem.plan"] = ChecklistAnswer(mark: .done)
        let result = ClientMerge.merge(base: started, mine: mine, theirs: theirs)
        #expect(result.notApplied.isEmpty)
        #expect(result.client.draft?.answers["hem.behov"]?.note == "Behöver hjälp med dusch")
        #expect(result.client.draft?.answers["hem.plan"]?.mark == .done)
    }

    @Test func identicalOrOneSidedChangesNeedNoMerge() {
        var mine = base
        mine.notes = "x"
        #expect(ClientMerge.merge(base: base, mine: mine, theirs: base).client == mine)
        #expect(ClientMerge.merge(base: base, mine: base, theirs: mine).client == mine)
        #expect(ClientMerge.merge(base: base, mine: mine, theirs: mine).client == mine)
    }

    @Test func conflictsOnTheNewPartsAreNamedInSwedish() {
        #expect(ClientMerge.describe(["decisions", "delayReason"]) == "beslut skäl till dröjsmålet")
        #expect(ClientMerge.describe(["decisions", "interruptions"]) == "beslut avbrott")
        #expect(ClientMerge.describe(["doorCode"]) == "portkod")
    }
}
