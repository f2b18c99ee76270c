import BevakaDomain

/// Marking a quarter's report to IVO as sent from the app (`r` on a "Rapportera till IVO"
/// bevakning): the same as `bevaka rapport ivo --markera-skickad`, which cannot write while the
/// app holds the caseload.
extension AppState {
    /// The quarter a reporting bevakning is for: the one before the quarter its period starts in.
    static func reportedQuarter(_ item: DueItem) -> Quarter {
        Quarter(containing: item.ruleDue ?? item.due).previous
    }

    mutating func askIVOSent() -> [Effect] {
        guard let item = selectedItem, item.kind == .ivoReport else {
            message = "r markerar en rapport till IVO som skickad: välj en bevakning Rapportera till IVO."
            return []
        }
        let quarter = AppState.reportedQuarter(item)
        guard quarter.last < today else {
            message = "Kvartal \(quarter.number) \(quarter.year) är inte slut än (det slutar \(quarter.last))."
            messageIsError = true
            return []
        }
        let report = IVOReport.make(caseload: caseload, routines: routines, quarter: quarter)
        push(.choice(Choice("Är rapporten för kvartal \(quarter.number) \(quarter.year) skickad till IVO (\(report.entries.count) rader)? "
                            + "Ta fram den med bevaka rapport ivo --kvartal \(quarter.year)-\(quarter.number).", [
                            .init("Nej, inte än", .say("Inget är markerat; rapporten kan tas fram med bevaka rapport ivo --kvartal \(quarter.year)-\(quarter.number).")),
                            .init("Ja, markera den som skickad", .markIVOSent(quarter)),
                        ])))
        return []
    }

    mutating func markIVOSent(_ quarter: Quarter) -> [Effect] {
        let routines = self.routines
        return mutate("Kvartal \(quarter.number) \(quarter.year) är markerat som skickat till IVO. Ångra med u.") { caseload in
            var report = IVOReport.make(caseload: caseload, routines: routines, quarter: quarter)
            IVOReport.assignIdentifiers(&report, caseload: &caseload)
            IVOReport.markSent(report, in: &caseload)
        }
    }
}
