import Foundation

/// R1–R12 of docs/rules.md. Pure: the same caseload, routines and `today` give the same answer.
/// Each rule is a small function so it can be tested alone; `items(for:routines:today:)` joins them
/// the way docs/rules.md says the rules meet.
public enum RuleEngine {

    // MARK: The rules, one by one

    /// The latest follow-up in the history that covered `decision`, on or after its start.
    public static func lastFollowUp(of decision: Decision, in client: Client) -> Day? {
        var latest: Day?
        for followUp in client.followUps where followUp.date >= decision.validFrom && followUp.covers(decision) {
            if latest.map({ followUp.date > $0 }) ?? true { latest = followUp.date }
        }
        return latest
    }

    /// R1 (and R2, since a recorded follow-up moves the base): 12 months after the last
    /// follow-up, or after the start. nil when a time-limited decision ends before that date:
    /// then R3 alone follows it up.
    public static func annualDue(_ decision: Decision, lastFollowUp: Day?, profile: RoutineProfile) -> Day? {
        let due = (lastFollowUp ?? decision.ruleStart).adding(months: profile.annualMonths)
        if let end = decision.validTo, due >= end { return nil }
        return due
    }

    /// R3's lead in days for a decision of `length` days.
    public static func endLeadDays(length: Int, profile: RoutineProfile) -> Int {
        let proportional = Int((profile.endLeadFraction * Double(max(0, length))).rounded(.up))
        return min(profile.endLeadMaxDays, max(profile.endLeadMinDays, proportional))
    }

    /// R3: a time-limited decision is followed up `lead` days before its end.
    /// The length is counted from the rule's start to the last valid day.
    public static func decisionEndingDue(_ decision: Decision, profile: RoutineProfile) -> Day? {
        guard let end = decision.validTo else { return nil }
        let length = decision.ruleStart.days(until: end)
        return end.adding(days: -endLeadDays(length: length, profile: profile))
    }

    /// R4: while no plan date is recorded, the plan is due a set number of days after the start.
    public static func carePlanMissingDue(_ decision: Decision, profile: RoutineProfile) -> Day? {
        guard decision.plan?.currentDate == nil else { return nil }
        return decision.ruleStart.adding(days: profile.carePlanDeadlineDays)
    }

    /// R5: a plan older than the profile's limit needs an action (LSS by default).
    public static func carePlanStaleDue(_ decision: Decision, profile: RoutineProfile) -> Day? {
        guard let months = profile.carePlanStaleMonths, let planDate = decision.plan?.currentDate else { return nil }
        return planDate.adding(months: months)
    }

    /// R6: the provider is told and asked for underlag a month before the follow-up.
    public static func prepareDue(followUp: Day, profile: RoutineProfile) -> Day {
        followUp.adding(months: -profile.prepareLeadMonths)
    }

    /// R7: the deviation in percent when it is strictly more than the tolerance, else nil.
    public static func timeDeviationPercent(_ decision: Decision, profile: RoutineProfile) -> Double? {
        guard let tolerance = profile.timeTolerancePercent,
              let granted = decision.grantedHours, granted > 0,
              let performed = decision.performedHours else { return nil }
        let percent = (performed - granted) / granted * 100
        // A small epsilon so that exactly 5 % computed in binary floating point stays "not more".
        return abs(percent) > tolerance + 1e-9 ? percent : nil
    }

    /// R10: reading the provider's plan needs consent, and none is recorded.
    public static func consentMissing(_ decision: Decision, profile: RoutineProfile) -> Bool {
        guard decision.consent != .given else { return false }
        switch profile.consentRule {
        case .never: return false
        case .always: return decision.provider != nil
        case .privateProviderOnly: return decision.provider?.regi == .private
        }
    }

    /// R9: an ended decision yields `decisionEnded` until it is closed or a follow-up on or
    /// after its end has told the person to apply again.
    public static func decisionEndedDue(_ decision: Decision, in client: Client, today: Day) -> Day? {
        guard decision.closedOn == nil, let end = decision.validTo, end < today else { return nil }
        let toldAfterEnd = client.followUps.contains { $0.date >= end && $0.covers(decision) }
        return toldAfterEnd ? nil : end
    }

    /// R11: a decision not (wholly) carried out is due on its decision date + the profile's
    /// months (the limit for reporting it to IVO). It ends when a started date is recorded (and
    /// no part is left) or the decision is closed; a declined offer does not end it.
    ///
    /// A decision with no started date whose genomförandeplan or follow-up is recorded has been
    /// carried out (the provider makes the plan with the person once the support runs; a follow-up
    /// follows running support): lists imported without a `verkställt` column do not flag every
    /// running decision as not carried out.
    public static func notStartedDue(_ decision: Decision, in client: Client, profile: RoutineProfile) -> Day? {
        guard let months = profile.notStartedMonths, decision.closedOn == nil, decision.notCarriedOutYet else { return nil }
        if decision.startedOn == nil
            && (decision.plan?.currentDate != nil || client.followUps.contains { $0.date >= decision.validFrom && $0.covers(decision) }) {
            return nil
        }
        let limit = decision.decisionDate.adding(months: months)
        // A time-limited decision that ended before its three months had passed raised no report
        // obligation while it was in force: R9 alone follows it.
        if let end = decision.validTo, end < limit { return nil }
        return limit
    }

    /// A decision that ended, never carried out, before R11's limit (for R9's reason).
    static func endedBeforeReportLimit(_ decision: Decision, profile: RoutineProfile) -> Bool {
        guard let months = profile.notStartedMonths, decision.startedOn == nil, let end = decision.validTo else { return false }
        return end < decision.decisionDate.adding(months: months)
    }

    /// R12: an interruption not resumed is due on its start + the profile's months.
    public static func interruptionDue(_ interruption: Interruption, profile: RoutineProfile) -> Day? {
        guard let months = profile.interruptionMonths, interruption.resumed == nil else { return nil }
        return interruption.from.adding(months: months)
    }

    /// The quarters (the last one ended and the current one) for which this decision has
    /// something to report to IVO that is not yet marked as sent: R11 past its limit at the
    /// quarter's end and not carried out then, or an interruption past its limit and not resumed.
    public static func quartersToReport(_ decision: Decision, in client: Client, profile: RoutineProfile,
                                        today: Day) -> [Quarter] {
        guard decision.closedOn.map({ $0 > today }) ?? true else { return [] }
        let current = Quarter(containing: today)
        return [current.previous, current].filter { quarter in
            // The label is only needed when something was reported (most decisions: nothing).
            let label = decision.ivoReported.isEmpty && decision.interruptions.allSatisfy({ ($0.ivoReported ?? []).isEmpty })
                ? "" : quarter.description
            let asOf = min(quarter.last, today)
            var due = false
            if let months = profile.notStartedMonths, !decision.ivoReported.contains(label),
               decision.decisionDate.adding(months: months) <= quarter.last,
               notStartedDue(decision, in: client, profile: profile) != nil || (decision.startedOn.map { $0 > asOf } ?? false) {
                due = true
            }
            if let months = profile.interruptionMonths {
                for interruption in decision.interruptions
                where !(interruption.ivoReported ?? []).contains(label) && interruption.from.adding(months: months) <= quarter.last
                    && (interruption.resumed.map { $0 > asOf } ?? true) {
                    due = true
                }
            }
            return due
        }
    }

    /// The verkställighet ladder for a decision not yet started, before R11's limit: each step on
    /// a working day, until it is answered on the decision (the order confirmed, the start
    /// recorded, the escalation made).
    static func ladder(_ client: Client, _ decision: Decision, steps: VerkstallighetSteps, limit: Day,
                       reasons: Bool = true) -> [DueItem] {
        let base = decision.decisionDate
        func say(_ text: @autoclosure () -> String) -> String { written(text(), if: reasons) }
        let basis = say(decision.decidedOn.map { "beslutat \($0)" } ?? "giltigt från \(decision.validFrom)")
        var items: [DueItem] = []
        if decision.orderConfirmedOn == nil {
            let due = WorkingDays.adding(workingDays: steps.orderWorkingDays, to: base)
            items.append(DueItem(clientID: client.id, decisionID: decision.id, kind: .orderConfirmation, due: due,
                reason: say("Beslutet om \(decision.service) (\(basis)): är beställningen skickad till utföraren och bekräftad? Skriv dagen under Beställning bekräftad på beslutet (\(steps.orderWorkingDays) arbetsdagar efter beslutet)."),
                ruleDue: due))
        }
        let start = WorkingDays.onOrAfter(max(base.adding(days: steps.startDays), decision.validFrom))
        items.append(DueItem(clientID: client.id, decisionID: decision.id, kind: .startCheck, due: start,
            reason: say("Har \(decision.service) startat? Fråga utföraren och skriv dagen under Verkställt på beslutet; om inte: skriv skälet till dröjsmålet (det följer med till IVO-rapporten). Senast \(limit) ska beslutet vara verkställt."),
            ruleDue: start))
        if decision.escalatedOn == nil {
            let escalation = WorkingDays.onOrAfter(base.adding(months: steps.escalationMonths))
            if escalation < limit {
                items.append(DueItem(clientID: client.id, decisionID: decision.id, kind: .escalation, due: escalation,
                    reason: say("\(decision.service) är inte verkställt \(steps.escalationMonths) månader efter beslutet: eskalera till enhetschefen och skriv dagen under Eskalerat på beslutet. IVO-gränsen är \(limit)."),
                    ruleDue: escalation))
            }
        }
        return items
    }

    /// A rule's reason, or "" when the caller shows none (the text is then never made).
    static func written(_ text: @autoclosure () -> String, if reasons: Bool) -> String {
        reasons ? text() : ""
    }

    /// A date the handläggare acts on, on the last working day on or before it (when the profile says so).
    public static func actionDay(_ day: Day, profile: RoutineProfile) -> Day {
        profile.actOnWorkingDays ? WorkingDays.onOrBefore(day) : day
    }

    /// An item the handläggare acts on (R1, R3–R6, R11, R12): shown on its action day, the rule's
    /// own date kept as the deadline (`ruleDue`) and named in the reason when they differ.
    static func actionItem(_ client: Client, _ decision: Decision?, _ kind: DueKind, rule day: Day, profile: RoutineProfile,
                           reason: String) -> DueItem {
        let shown = actionDay(day, profile: profile)
        let note = shown == day || reason.isEmpty ? "" : " Regelns datum \(day) är ingen arbetsdag; visas \(shown)."
        return DueItem(clientID: client.id, decisionID: decision?.id, kind: kind, due: shown, reason: reason + note, ruleDue: day)
    }

    // MARK: Joined

    /// Every item the rules produce for one client on `today`, before stored reminders apply.
    /// With `reasons` false every rule item's reason is left empty and nothing else differs
    /// (RuleEngineTests compares the two): for a list that never shows them (`bevaka agenda`'s
    /// table), whose time went a fifth to writing reasons.
    public static func ruleItems(for client: Client, routines: RoutineSet, today: Day, reasons: Bool = true) -> [DueItem] {
        guard !client.archived else { return [] }
        func say(_ text: @autoclosure () -> String) -> String { written(text(), if: reasons) }
        var items: [DueItem] = []
        var earliestAnnual: (due: Day, decision: Decision, profile: RoutineProfile, base: Day?)?
        var earliestAwaiting: (due: Day, decision: Decision, profile: RoutineProfile, base: Day?)?

        for decision in client.decisions where decision.closedOn == nil {
            let profile = routines.profile(for: decision)
            let notStarted = notStartedDue(decision, in: client, profile: profile)
            let awaitingStart = notStarted != nil && decision.startedOn == nil
            if let due = notStarted {
                let months = profile.notStartedMonths ?? 3
                let basis = say(decision.decidedOn.map { "beslutat \($0)" } ?? "giltigt från \(decision.validFrom) (beslutsdatum saknas)")
                let part = say(decision.startedOn != nil ? " Delvis verkställt; kvar: \(decision.notCarriedOut ?? "")." : "")
                let declined = say(decision.offers.contains { !$0.accepted } ? " Ett avböjt erbjudande avslutar inte rapporteringen." : "")
                items.append(actionItem(client, decision, .notStarted, rule: due, profile: profile,
                    reason: say("Beslutet om \(decision.service) (\(basis)) är inte verkställt.\(part) Senast \(due) (\(months) månader efter beslutet) ska det vara verkställt; annars rapporteras det till IVO under nästa rapportperiod och varje kvartal tills det är verkställt eller avslutat.\(declined)")))
            }
            if let limit = notStarted, awaitingStart, today < limit, let steps = profile.verkstallighetssteg {
                items += ladder(client, decision, steps: steps, limit: limit, reasons: reasons)
            }
            // The reporting period after a quarter with something to report (on its first day).
            for quarter in quartersToReport(decision, in: client, profile: profile, today: today) {
                let periods = profile.ivoReportingPeriods
                guard periods.count == 4, let period = periods[quarter.number - 1].days(after: quarter) else { continue }
                // Never before the period starts: the quarter it reports on must have ended.
                items.append(DueItem(
                    clientID: client.id, decisionID: decision.id, kind: .ivoReport,
                    due: profile.actOnWorkingDays ? WorkingDays.onOrAfter(period.first) : period.first,
                    reason: say("Rapportera ej verkställda beslut för kvartal \(quarter.number) \(quarter.year) till IVO (\(decision.service)): rapportperioden är \(period.first)–\(period.last). Ta fram rapporten med: bevaka rapport ivo --kvartal \(quarter.year)-\(quarter.number), och markera den skickad med --markera-skickad."),
                    ruleDue: period.first))
            }
            for interruption in decision.interruptions {
                guard let due = interruptionDue(interruption, profile: profile) else { continue }
                items.append(actionItem(client, decision, .interrupted, rule: due, profile: profile,
                    reason: say("Insatsen \(decision.service) avbröts \(interruption.from)\(interruption.reason.map { " (\($0))" } ?? ""). Återupptas den inte senast \(due) rapporteras avbrottet till IVO under nästa rapportperiod.")))
            }
            if decision.hasEnded(on: today) {
                if let due = decisionEndedDue(decision, in: client, today: today) {
                    let never = reasons && endedBeforeReportLimit(decision, profile: profile)
                        ? " Det verkställdes aldrig men upphörde innan \(profile.notStartedMonths ?? 3) månader hade gått: ingen rapport till IVO." : ""
                    items.append(DueItem(
                        clientID: client.id, decisionID: decision.id, kind: .decisionEnded, due: due,
                        reason: say("Beslutet om \(decision.service) gällde till \(due). Den enskilde behöver ansöka på nytt.\(never)")))
                }
                continue
            }
            let last = lastFollowUp(of: decision, in: client)
            // Support not yet started is followed by R11; the yearly follow-up counts from running
            // support, and from a decision awaiting its start only when nothing else runs.
            if let due = annualDue(decision, lastFollowUp: last, profile: profile) {
                if awaitingStart {
                    if earliestAwaiting.map({ due < $0.due }) ?? true { earliestAwaiting = (due, decision, profile, last) }
                } else if earliestAnnual.map({ due < $0.due }) ?? true {
                    earliestAnnual = (due, decision, profile, last)
                }
            }
            if let due = decisionEndingDue(decision, profile: profile), let end = decision.validTo {
                let lead = due.days(until: end)
                items.append(actionItem(client, decision, .decisionEnding, rule: due, profile: profile,
                    reason: say("Beslutet om \(decision.service) gäller till \(end); följ upp \(lead) dagar före slutet.")))
            }
            // No plan is expected before the support has started (R11 follows the decision then).
            if !awaitingStart, let due = carePlanMissingDue(decision, profile: profile) {
                items.append(actionItem(client, decision, .carePlanMissing, rule: due, profile: profile,
                    reason: say("Ingen genomförandeplan registrerad; den ska finnas \(profile.carePlanDeadlineDays) dagar efter start \(decision.ruleStart) (\(profile.name)).")))
            }
            if let due = carePlanStaleDue(decision, profile: profile), let planDate = decision.plan?.currentDate {
                items.append(actionItem(client, decision, .carePlanStale, rule: due, profile: profile,
                    reason: say("Genomförandeplanen är från \(planDate); efter \(profile.carePlanStaleMonths ?? 6) månader ska en åtgärd beskrivas.")))
            }
            if let percent = timeDeviationPercent(decision, profile: profile) {
                let granted = say(formatHours(decision.grantedHours ?? 0))
                let performed = say(formatHours(decision.performedHours ?? 0))
                let tolerance = say(formatHours(profile.timeTolerancePercent ?? 5))
                items.append(DueItem(
                    clientID: client.id, decisionID: decision.id, kind: .timeDeviation, due: today,
                    reason: say("Utförd tid \(performed) tim/mån mot beviljad \(granted) tim/mån: \(formatPercent(percent)) (gräns ±\(tolerance) %). Analysera med utföraren\(decision.form == .frame ? " och den enskilde (rambeslut)" : "").")))
            }
            if consentMissing(decision, profile: profile) {
                items.append(DueItem(
                    clientID: client.id, decisionID: decision.id, kind: .consentMissing, due: today,
                    reason: say("Samtycke saknas för att ta del av genomförandeplanen hos \(decision.provider?.name ?? "utföraren").")))
            }
        }

        if let annual = earliestAnnual ?? earliestAwaiting {
            let basis = say(annual.base.map { "senaste uppföljning \($0)" } ?? "start \(annual.decision.ruleStart)")
            // Person-level items, shown on a working day; the rule's own date stays as the deadline (ruleDue).
            items.append(actionItem(client, nil, .annualFollowUp, rule: annual.due, profile: annual.profile,
                reason: say("Uppföljning minst en gång per år: \(basis) (\(annual.decision.service)). Alla beslut följs upp samtidigt.")))
            let prepare = prepareDue(followUp: annual.due, profile: annual.profile)
            items.append(actionItem(client, nil, .prepareFollowUp, rule: prepare, profile: annual.profile,
                reason: say("Uppföljning planerad \(annual.due): informera utföraren och begär underlag en månad före.")))
        }
        return items
    }

    /// Rule items with the client's stored reminders applied, plus manual reminders.
    /// A stored reminder of a rule kind applies to the rule item with the same kind, decision and
    /// rule date (conditions, always due today, match on kind and decision alone). A stored one
    /// whose occurrence no longer exists is kept only if done, as history.
    public static func items(for client: Client, routines: RoutineSet, today: Day, reasons: Bool = true) -> [DueItem] {
        var items = ruleItems(for: client, routines: routines, today: today, reasons: reasons)
        for reminder in client.reminders {
            if reminder.kind == .manual {
                items.append(DueItem(
                    clientID: client.id, decisionID: reminder.decisionID, kind: .manual, due: reminder.due,
                    reason: reminder.text ?? "", reminderID: reminder.id,
                    priority: reminder.priority, status: reminder.status))
                continue
            }
            if let index = items.firstIndex(where: { item in
                item.reminderID == nil && item.kind == reminder.kind && item.decisionID == reminder.decisionID
                    && (item.kind.isCondition || item.ruleDue == reminder.ruleDue
                        // Stored before these kinds carried their rule's date: they matched by kind and decision.
                        || (reminder.ruleDue == nil && RuleEngine.formerlyUndated.contains(item.kind)))
            }) {
                items[index].due = reminder.due
                items[index].reminderID = reminder.id
                items[index].priority = reminder.priority
                items[index].status = reminder.status
                if let text = reminder.text, !text.isEmpty { items[index].reason += " " + text }
            } else if reminder.status == .done {
                items.append(DueItem(
                    clientID: client.id, decisionID: reminder.decisionID, kind: reminder.kind, due: reminder.due,
                    reason: reminder.text ?? reminder.kind.label, ruleDue: reminder.ruleDue,
                    reminderID: reminder.id, priority: reminder.priority, status: .done))
            }
        }
        return items
    }

    /// Kinds that carry their rule's date only since they are shown on working days.
    static let formerlyUndated: Set<DueKind> = [.decisionEnding, .carePlanMissing, .carePlanStale, .notStarted, .interrupted]

    /// Every client's items.
    public static func items(for caseload: Caseload, routines: RoutineSet, today: Day) -> [DueItem] {
        var all: [DueItem] = []
        all.reserveCapacity(caseload.clients.count * 4)
        for client in caseload.clients {
            all.append(contentsOf: items(for: client, routines: routines, today: today))
        }
        return all
    }

    /// One decimal, as the rules' reasons show hours and percentages.
    public static func formatHours(_ value: Double) -> String {
        Hours.format(value, decimals: 1)
    }

    public static func formatPercent(_ value: Double) -> String {
        (value >= 0 ? "+" : "−") + formatHours(abs(value)) + " %"
    }
}
