import BevakaTestSupport
import BevakaDomain
import Foundation
import Testing
@testable import BevakaStore

@Suite struct ChecklistFileTests {
    @Test func rewordsAndAddsItemsWhereTheUserSays() throws {
        let json = """
        {"hemtjanst": {"reword": {"hem.hur": "Hur vill vi genomföra uppföljningen?"},
                       "add": [{"id": "egen.fall", "phase": "besök", "text": "Fråga om fallrisk", "after": "hem.behov"},
                               {"id": "egen.mat", "phase": "after", "text": "Vad äter du till lunch?", "type": "fråga",
                                "required": true, "when": "grantedTime"}]}}
        """
        let set = try ChecklistFile.apply(Data(json.utf8), path: "/x/checklists.json")
        let items = set.templates(for: "hemtjanst")
        #expect(items.first { $0.id == "hem.hur" }?.text == "Hur vill vi genomföra uppföljningen?")
        let behov = try #require(items.firstIndex { $0.id == "hem.behov" })
        #expect(items[behov + 1].id == "egen.fall")
        #expect(items[behov + 1].phase == .visit && items[behov + 1].type == .tick && !items[behov + 1].required)
        let mat = try #require(items.last)
        #expect(mat.id == "egen.mat" && mat.type == .question && mat.required && mat.condition == .grantedTime)
        #expect(mat.source.contains("checklists.json"))
        #expect(set.templates(for: "lss") == ChecklistLibrary.templates(for: "lss"))
        // The added items reach a person's checklist, per decision where the condition says so.
        let home = Decision(id: "d1", law: .sol, service: "hemtjänst", grantedHours: 20, performedHours: 20,
                            validFrom: today.adding(months: -6))
        let person = Client(id: "c1", name: "Test", personnummer: Personnummer(unchecked: "192001011564"), decisions: [home])
        let entries = ChecklistLibrary.build(for: person, routines: .standard, checklists: set, today: today)
        #expect(entries.contains { $0.id == "egen.fall" })
        #expect(entries.contains { $0.id == "egen.mat@d1" })
    }

    @Test(arguments: [
        ("{\"hemtjänst\": {}}", "okänd rutin \"hemtjänst\""),
        ("{\"lss\": {\"rewrod\": {}}}", "okänd nyckel \"lss.rewrod\""),
        ("{\"lss\": {\"reword\": {\"lss.finnsinte\": \"x\"}}}", "ingen punkt \"lss.finnsinte\""),
        ("{\"lss\": {\"reword\": {\"lss.utredning\": \"  \"}}}", "inte är tom"),
        ("{\"lss\": {\"add\": [{\"id\": \"x\", \"phase\": \"under\", \"text\": \"t\"}]}}", "lss.add[1].phase"),
        ("{\"lss\": {\"add\": [{\"id\": \"x\", \"phase\": \"besök\", \"text\": \"t\", \"typ\": \"tick\"}]}}", "okänt fält \"lss.add[1].typ\""),
        ("{\"lss\": {\"add\": [{\"id\": \"lss.ivo\", \"phase\": \"besök\", \"text\": \"t\"}]}}", "finns redan"),
        ("{\"lss\": {\"add\": [{\"id\": \"x\", \"phase\": \"besök\", \"text\": \"t\", \"after\": \"lss.utredning\"}]}}", "annan fas"),
        ("{\"lss\": {\"add\": [{\"id\": \"x\", \"phase\": \"besök\", \"text\": \"t\", \"when\": \"ibland\"}]}}", "lss.add[1].when"),
        ("[1, 2]", "JSON-objekt"),
    ])
    func everyMistakeIsNamed(json: String, expected: String) {
        do {
            _ = try ChecklistFile.apply(Data(json.utf8), path: "/x/checklists.json")
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.message.contains(expected), "\(error.message)")
            #expect(error.message.contains("/x/checklists.json"))
        }
    }

    @Test func noFileGivesTheBuiltInChecklists() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        #expect(try ChecklistFile.load(environment: ["XDG_CONFIG_HOME": folder.path]) == .standard)
    }
}
