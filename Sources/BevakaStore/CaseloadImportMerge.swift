import BevakaDomain
import Foundation

/// A read row merged into the caseload: a new person, a new decision, or a changed one.
extension CaseloadImport {
    // MARK: Merging

    /// A row's decision is the same decision as a stored one when the service and first valid day agree.
    static func sameDecision(_ a: Decision, _ b: Decision) -> Bool {
        a.validFrom == b.validFrom && ServiceCatalog.normalise(a.service) == ServiceCatalog.normalise(b.service)
    }

    static func merge(_ row: Row, into caseload: inout Caseload, report: inout Report, positions: inout [String: Int]) {
        let clientIndex: Int
        if let index = positions[row.personnummer.digits] {
            clientIndex = index
        } else {
            let id = caseload.makeID("c")
            caseload.clients.append(Client(id: id, name: row.name, personnummer: row.personnummer))
            clientIndex = caseload.clients.count - 1
            positions[row.personnummer.digits] = clientIndex
            report.newClients += 1
        }
        var client = caseload.clients[clientIndex]
        if let note = row.note, !(client.notes ?? "").contains(note) {
            client.notes = client.notes.map { $0 + "\n" + note } ?? note
        }
        if !row.address.isEmpty {
            var address = client.address ?? Address()
            address.street = row.address.street ?? address.street
            address.postcode = row.address.postcode ?? address.postcode
            address.town = row.address.town ?? address.town
            client.address = address
        }
        for phone in row.phones {
            client.phones.removeAll { $0.label == phone.label }
            client.phones.append(phone)
        }
        if let code = row.doorCode { client.doorCode = code }
        if let access = row.access { client.access = access }
        if let flag = row.protectedIdentity { client.protectedIdentity = flag }
        let decisionID: String
        if let index = client.decisions.firstIndex(where: { sameDecision($0, row.decision) }) {
            let before = client.decisions[index]
            let after = updated(before, from: row)
            decisionID = before.id
            if after != before {
                client.decisions[index] = after
                report.updatedDecisions += 1
            } else {
                report.unchangedDecisions += 1
            }
        } else {
            var decision = row.decision
            decision.id = caseload.makeID("d")
            if row.assumeStarted && decision.startedOn == nil {
                decision.startedOn = decision.validFrom
                report.assumedStarted += 1
            }
            decisionID = decision.id
            client.decisions.append(decision)
            report.newDecisions += 1
        }
        if let date = row.lastFollowUp, let existing = client.followUps.firstIndex(where: { $0.date == date }) {
            // One visit followed up several decisions (R8): it covers this one too.
            if let ids = client.followUps[existing].decisionIDs, !ids.contains(decisionID) {
                client.followUps[existing].decisionIDs = ids + [decisionID]
            }
        } else if let date = row.lastFollowUp {
            // The list does not say how it was done; a home visit is the main rule (seed 001).
            client.followUps.append(FollowUp(
                id: caseload.makeID("f"), date: date, form: .homeVisit, trigger: .ownPlan,
                notes: "Importerad från lista", decisionIDs: [decisionID]))
            report.newFollowUps += 1
        }
        caseload.clients[clientIndex] = client
    }

    /// The stored decision with the row's values for the columns the file has.
    static func updated(_ stored: Decision, from row: Row) -> Decision {
        var result = stored
        let new = row.decision
        let given = row.given
        if given.contains(.lag) { result.law = new.law }
        if given.contains(.beslutsform) { result.form = new.form }
        if given.contains(.beviljadTid) { result.grantedHours = new.grantedHours }
        if given.contains(.utfordTid) { result.performedHours = new.performedHours }
        if given.contains(.beslutTill) { result.validTo = new.validTo }
        if given.contains(.verkstallt) { result.startedOn = new.startedOn }
        if given.contains(.beslutsdatum) { result.decidedOn = new.decidedOn }
        if given.contains(.bestallningBekraftad) { result.orderConfirmedOn = new.orderConfirmedOn }
        if given.contains(.eskalerad) { result.escalatedOn = new.escalatedOn }
        if given.contains(.ejVerkstalltDel) { result.notCarriedOut = new.notCarriedOut }
        if given.contains(.skalDrojsmal) { result.delayReason = new.delayReason }
        if given.contains(.konsekvenser) { result.consequences = new.consequences }
        // Offers and interruptions are added and updated by the list, never removed by it: an empty
        // cell means nothing new (as a missing column does), and one reported to IVO must not vanish
        // with a re-import. Removing one is done in the app.
        if given.contains(.erbjudanden) {
            for offer in new.offers {
                if let index = result.offers.firstIndex(where: { $0.on == offer.on }) {
                    result.offers[index] = offer
                } else {
                    result.offers.append(offer)
                }
            }
        }
        if given.contains(.avbrott) {
            for item in new.interruptions {
                if let index = result.interruptions.firstIndex(where: { $0.from == item.from }) {
                    // What IVO was told about an interruption stays with it.
                    var kept = item
                    kept.ivoReported = result.interruptions[index].ivoReported
                    kept.ivoClosingReported = result.interruptions[index].ivoClosingReported
                    result.interruptions[index] = kept
                } else {
                    result.interruptions.append(item)
                }
            }
        }
        if given.contains(.utforare) {
            if let provider = new.provider {
                var merged = provider
                if !given.contains(.regi), let old = stored.provider { merged.regi = old.regi }
                merged.caseSystemAccess = stored.provider?.caseSystemAccess
                if !given.contains(.utforareKontakt) { merged.contact = stored.provider?.contact }
                if !given.contains(.utforareTelefon) { merged.phone = stored.provider?.phone }
                result.provider = merged
            } else {
                result.provider = nil
            }
        }
        if given.contains(.samtycke) { result.consent = new.consent }
        if given.contains(.avslutat) { result.closedOn = new.closedOn }
        if given.contains(.genomforandeplan) {
            var plan = stored.plan ?? CarePlan()
            plan.established = new.plan?.established
            result.plan = plan == CarePlan() ? nil : plan
        }
        return result
    }
}
