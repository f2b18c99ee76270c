import BevakaTestSupport
import Foundation
@testable import BevakaDomain


func fixtureLines(_ name: String) throws -> [String] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent(name)
    return try String(contentsOf: url, encoding: .utf8)
        .split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
}

func decision(_ id: String = "d1", law: Law = .sol, service: String = "hemtjänst",
              from: String, to: String? = nil, started: String? = nil,
              granted: Double? = nil, performed: Double? = nil, form: DecisionForm? = nil,
              provider: Provider? = Provider(name: "Hemtjänst Centrum", regi: .municipal),
              consent: ConsentStatus? = nil, plan: String? = "2020-01-01") -> Decision {
    Decision(id: id, law: law, service: service, form: form, grantedHours: granted, performedHours: performed,
             validFrom: d(from), validTo: to.map(d), startedOn: started.map(d), provider: provider,
             consent: consent, plan: plan.map { CarePlan(established: d($0)) })
}

func client(_ decisions: [Decision], followUps: [String] = [], reminders: [Reminder] = [],
            id: String = "c1", name: String = "Test Testsson") -> Client {
    Client(id: id, name: name, personnummer: Personnummer(unchecked: "192001011564"),
           decisions: decisions,
           followUps: followUps.enumerated().map { index, date in
               FollowUp(id: "f\(index)", date: d(date), form: .homeVisit, trigger: .ownPlan)
           },
           reminders: reminders)
}

func kinds(_ items: [DueItem]) -> [DueKind] {
    items.map(\.kind).sorted { $0.rawValue < $1.rawValue }
}
