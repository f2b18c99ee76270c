import BevakaTestSupport
import BevakaDomain
import Foundation
import Testing
@testable import BevakaStore

@Suite struct ProfileFileTests {
    @Test func overridesFieldsAndMapsServices() throws {
        let json = """
        {"profiles": {"lss": {"annualMonths": 6, "carePlanStaleMonths": null},
                      "hemtjanst": {"timeTolerancePercent": 10, "consentRule": "always"}},
         "services": {"Ledsagning": "lss"}}
        """
        let routines = try ProfileFile.apply(Data(json.utf8), path: "/x/profiles.json")
        #expect(routines.profiles["lss"]?.annualMonths == 6)
        #expect(routines.profiles["lss"]?.carePlanStaleMonths == nil)
        #expect(routines.profiles["hemtjanst"]?.timeTolerancePercent == 10)
        #expect(routines.profiles["hemtjanst"]?.consentRule == .always)
        #expect(routines.profiles["sabo"] == .sabo)
        let decision = Decision(id: "d", law: .sol, service: "ledsagning", validFrom: today)
        #expect(routines.profile(for: decision).id == "lss")
    }

    /// The verkställighet ladder's steps per profile: some numbers set, the rest the defaults; null turns it off.
    @Test func theLaddersStepsAreSetPerProfile() throws {
        let json = """
        {"profiles": {"hemtjanst": {"verkstallighetssteg": {"bestallning": 1, "eskalering": 1}},
                      "lss": {"verkstallighetssteg": null}}}
        """
        let routines = try ProfileFile.apply(Data(json.utf8), path: "/x/profiles.json")
        #expect(routines.profiles["hemtjanst"]?.verkstallighetssteg == VerkstallighetSteps(orderWorkingDays: 1, startDays: 14, escalationMonths: 1))
        #expect(routines.profiles["lss"]?.verkstallighetssteg == nil)
        #expect(routines.profiles["sabo"]?.verkstallighetssteg == .standard)
    }

    @Test(arguments: [
        ("{\"profiles\": {\"lss\": {\"anualMonths\": 6}}}", "anualMonths"),
        ("{\"profile\": {}}", "profile"),
        ("{\"profiles\": {\"säbo\": {}}}", "säbo"),
        ("{\"profiles\": {\"lss\": {\"annualMonths\": \"sex\"}}}", "heltal"),
        ("{\"services\": {\"x\": \"okänd\"}}", "känd rutin"),
        ("not json", "JSON"),
        ("{\"profiles\": {\"lss\": {\"verkstallighetssteg\": {\"bestalning\": 2}}}}", "bestalning"),
        ("{\"profiles\": {\"lss\": {\"verkstallighetssteg\": {\"start\": 0}}}}", "start ska vara ett heltal 1–90"),
        ("{\"profiles\": {\"lss\": {\"verkstallighetssteg\": {\"eskalering\": 3.5}}}}", "eskalering"),
        ("{\"profiles\": {\"lss\": {\"verkstallighetssteg\": 14}}}", "bestallning (arbetsdagar"),
    ])
    func aTypoIsReportedWithTheFileAndTheKey(json: String, expected: String) {
        do {
            _ = try ProfileFile.apply(Data(json.utf8), path: "/x/profiles.json")
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.message.contains("/x/profiles.json"))
            #expect(error.message.contains(expected))
        }
    }

    @Test func noFileMeansTheBuiltInRoutines() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let routines = try ProfileFile.load(environment: ["XDG_CONFIG_HOME": root.path])
        #expect(routines.profiles.count == 3)
    }

    @Test func storeLocationFollowsFlagThenEnvironmentThenXDG() {
        let env = ["HOME": "/home/h", "XDG_DATA_HOME": "/data", "BEVAKA_STORE": "/env/c.json"]
        #expect(StoreLocation.resolve(explicit: "/flag/c.json", environment: env).path == "/flag/c.json")
        #expect(StoreLocation.resolve(explicit: nil, environment: env).path == "/env/c.json")
        #expect(StoreLocation.resolve(explicit: nil, environment: ["HOME": "/home/h", "XDG_DATA_HOME": "/data"]).path
                == "/data/bevaka/caseload.json")
        #expect(StoreLocation.resolve(explicit: nil, environment: ["HOME": "/home/h"]).path
                == "/home/h/.local/share/bevaka/caseload.json")
    }
}
