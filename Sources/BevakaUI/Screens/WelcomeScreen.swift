import BevakaDomain

// The first start without a caseload: how to begin.

func drawWelcome(_ state: AppState, into buffer: inout CellBuffer) {
    let lines: [(String, Role)] = [
        ("Välkommen till Bevaka", .header),
        ("", .normal),
        ("Här finns ännu ingen ärendelista. Så kommer du igång:", .normal),
        ("", .normal),
        ("  i  Läs in din lista (.xlsx, .ods eller CSV)", .highlight),
        ("     (kolumnerna: docs/import-format.md; eller bevaka import FIL)", .muted),
        ("  a  Lägg till en person", .highlight),
        ("  d  Prova med påhittade ärenden (demo: ingenting sparas)", .highlight),
        ("  q  Avsluta", .muted),
        ("", .normal),
        ("Listan sparas i:", .normal),
        ("     \(state.storePath)", .muted),
        ("Bara du kan läsa filen (0600), och säkerhetskopior sparas bredvid.", .muted),
    ]
    for (offset, line) in lines.enumerated() where 2 + offset < state.height - 2 {
        buffer.put(line.0, x: 2, y: 2 + offset, role: line.1)
    }
}

/// The first start, with no caseload yet.
enum WelcomeScreen: ScreenUnit {
    static let title = "Välkommen"
    static let context = KeyContext.overview

    static func listCount(_ state: AppState) -> Int { 0 }

    static func draw(_ state: AppState, into buffer: inout CellBuffer) { drawWelcome(state, into: &buffer) }
}
