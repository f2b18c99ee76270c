import BevakaDomain

// The first start without a caseload: how to begin.

func drawWelcome(_ state: AppState, into buffer: inout CellBuffer) {
    let lines: [(String, Role)] = [
        ("Välkommen till Bevaka", .header),
        ("", .normal),
        ("Här finns ännu ingen ärendelista. Så kommer du igång:", .normal),
        ("", .normal),
        ("1. Läs in din Excel-lista (.xlsx, eller sparad som CSV):", .normal),
        ("     bevaka import lista.xlsx", .highlight),
        ("   Kolumnerna beskrivs i docs/import-format.md.", .muted),
        ("2. Eller prova med påhittade ärenden:", .normal),
        ("     bevaka --demo", .highlight),
        ("", .normal),
        ("Listan sparas i:", .normal),
        ("     \(state.storePath)", .muted),
        ("Bara du kan läsa filen (0600), och säkerhetskopior sparas bredvid.", .muted),
    ]
    for (offset, line) in lines.enumerated() where 2 + offset < state.height - 2 {
        buffer.put(line.0, x: 2, y: 2 + offset, role: line.1)
    }
}
