import BevakaTestSupport
import Testing
@testable import BevakaUI

/// A path pasted after the folder the import prompt starts in (issue 27's e2e found
/// "~//tmp/lista.xlsx" read as one path).
@Suite struct PathInputTests {
    @Test func aPathBeginsAnewAtDoubleSlashOrHome() {
        #expect(PathInput.restarted("~//tmp/lista.xlsx") == "/tmp/lista.xlsx")
        #expect(PathInput.restarted("/home/anna/excel//srv/delad/lista.xlsx") == "/srv/delad/lista.xlsx")
        #expect(PathInput.restarted("/home/anna/excel/~/lista.xlsx") == "~/lista.xlsx")
        #expect(PathInput.restarted("~/excel/lista.xlsx") == "~/excel/lista.xlsx")
        #expect(PathInput.restarted("lista.csv") == "lista.csv")
        #expect(PathInput.restarted("") == "")
    }
}
