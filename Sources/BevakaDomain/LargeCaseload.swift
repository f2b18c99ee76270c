extension DemoCaseload {
    /// A caseload of `count` people for benchmarks and tests at scale: the demo's people and
    /// services, about three decisions each, spread over time, the same for the same arguments.
    ///
    /// Each person needs a personnummer of their own (the shared store keeps them unique), and
    /// only Skatteverket's few hundred test numbers may stand for people. So these are made
    /// from a test number's birth date with a serial of their own and a check digit that is
    /// deliberately wrong: no such number can belong to anyone. (Bevaka's import and forms
    /// refuse them; the store reads any twelve digits.)
    public static func large(_ count: Int, today: Day) -> Caseload {
        let demo = make(today: today)
        let people = demo.clients
        let decisions = people.flatMap(\.decisions)
        var caseload = Caseload()
        var seed: UInt64 = 0x5EED
        func next(_ range: ClosedRange<Int>) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return range.lowerBound + Int((seed >> 33) % UInt64(range.count))
        }
        for index in 0..<count {
            let template = people[index % people.count]
            var client = Client(id: caseload.makeID("c"), name: template.name,
                                personnummer: unassignable(template.personnummer, index / people.count))
            let decisionCount = 2 + index % 3  // 2, 3 or 4: three on average
            for offset in 0..<decisionCount {
                var decision = decisions[(index + offset * 7) % decisions.count]
                decision.id = caseload.makeID("d")
                decision.validFrom = today.adding(days: next(-700...0))
                decision.startedOn = decision.validFrom.adding(days: 3)
                decision.validTo = offset == 0 ? decision.validFrom.adding(days: 365) : nil
                client.decisions.append(decision)
            }
            for year in 0..<(index % 4) {
                client.followUps.append(FollowUp(
                    id: caseload.makeID("f"), date: today.adding(days: -40 - 365 * year), form: .homeVisit,
                    trigger: .ownPlan, participants: ["den enskilde", "handläggare"], outcome: .asDecided,
                    notes: "Insatsen fungerar enligt beslut."))
            }
            if index % 5 == 0 {
                client.reminders.append(Reminder(id: caseload.makeID("r"), kind: .manual, due: today.adding(days: index % 60),
                                                 text: "Ring om underlag", priority: .high))
            }
            caseload.clients.append(client)
        }
        return caseload
    }

    /// The test number's birth date (moved a day on per thousand), a serial of three digits and
    /// a check digit one off the right one.
    static func unassignable(_ template: Personnummer, _ serial: Int) -> Personnummer {
        guard let birth = template.birthDate else { return template }
        let day = birth.adding(days: serial / 1000)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let date = "\(day.year)\(two(day.month))\(two(day.day))"
        let number = String(1000 + serial % 1000).dropFirst()
        let body = Array(String(date.dropFirst(2)) + number)
        // Luhn over the ten digits without the check digit (YYMMDDNNN).
        var sum = 0
        for (position, character) in body.enumerated() {
            var value = (character.wholeNumberValue ?? 0) * (position % 2 == 0 ? 2 : 1)
            if value > 9 { value -= 9 }
            sum += value
        }
        let right = (10 - sum % 10) % 10
        return Personnummer(unchecked: date + number + String((right + 1) % 10))
    }
}
