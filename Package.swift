// swift-tools-version:6.0
import PackageDescription

// Linux (Debian) only: ncurses, libpq and Glibc are Debian's.
let package = Package(
    name: "Bevaka",
    products: [
        .executable(name: "bevaka", targets: ["bevaka"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // Pure domain: model, rules, year plan, holidays, personnummer. Foundation only, no I/O, no clock.
        .target(name: "BevakaDomain"),
        // The JSON file store, profile overrides and the import (CSV, and .xlsx and .ods read
        // with ZIPFoundation and the store's own XMLScanner).
        .target(name: "BevakaStore", dependencies: ["BevakaDomain", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // The terminal app without ncurses: state, actions, reduce, key map, themes, cell buffer, screens.
        .target(name: "BevakaUI", dependencies: ["BevakaDomain", "BevakaStore"]),
        // The app's runtime: the main loop that performs reduce's effects, the background saver,
        // import jobs and the external editor — the files, threads and processes BevakaUI leaves out.
        .target(name: "BevakaRuntime", dependencies: ["BevakaDomain", "BevakaStore", "BevakaUI"]),
        // ncurses shim: wide API on, macros and globals wrapped, signal handlers.
        .target(name: "CNcursesw", linkerSettings: [.linkedLibrary("ncursesw")]),
        // libpq, PostgreSQL's own client library (Debian's libpq-dev): Kerberos, certificates,
        // service files, ~/.pgpass and several hosts with target_session_attrs, as psql has them.
        // Loaded when first used (dlopen), so a command on a file store starts without it.
        .target(name: "CLibpq", linkerSettings: [.linkedLibrary("dl")]),
        // The installed program's ICU data, trimmed to what Bevaka uses (scripts/icu-data,
        // scripts/install); empty in every other build.
        .target(name: "CIcuData"),
        // The unit's shared store on PostgreSQL (through libpq), behind BevakaStore's protocol.
        // The schema is SQL files (Migrations/, frozen once released) carried in the program by
        // MigrationFiles.swift (scripts/embed-migrations), and schema.sql, the whole of it, for review.
        .target(name: "BevakaPostgres", dependencies: ["BevakaDomain", "BevakaStore", "CLibpq"],
                exclude: ["Migrations", "schema.sql"]),
        // The ncurses backend: draws a finished cell buffer, decodes keys.
        .target(name: "BevakaTerminal", dependencies: ["BevakaUI", "BevakaRuntime", "CNcursesw"]),
        // The command line: argument parsing and wiring only.
        .executableTarget(
            name: "bevaka",
            dependencies: [
                "BevakaDomain", "BevakaStore", "BevakaUI", "BevakaRuntime", "BevakaTerminal", "BevakaPostgres", "CIcuData",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Running a child process and collecting its output (the bench and the tests start servers).
        .target(name: "BevakaProcess"),
        // Release-mode benchmark: `swift run -c release bevaka-bench`.
        .executableTarget(name: "bevaka-bench",
                          dependencies: ["BevakaDomain", "BevakaStore", "BevakaUI", "BevakaPostgres", "BevakaProcess",
                                         .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // The manual page from the command definitions (scripts/make-manual; docs/man/bevaka.1).
        .executableTarget(name: "bevaka-manual"),
        // Trims the toolchain's ICU data package for the installed program (scripts/icu-data).
        .executableTarget(name: "bevaka-icu-data"),
        // A helper the store tests run as a child process (killed mid-save, or given a file-size limit).
        .executableTarget(name: "bevaka-store-probe", dependencies: ["BevakaDomain", "BevakaStore", "BevakaPostgres"]),
        // What every test target needs once (dates, today, a seeded generator, temporary folders).
        .target(name: "BevakaTestSupport", dependencies: ["BevakaDomain"], path: "Tests/BevakaTestSupport"),
        .testTarget(name: "BevakaDomainTests", dependencies: ["BevakaDomain", "BevakaTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "BevakaStoreTests", dependencies: ["BevakaStore", "BevakaTestSupport", "BevakaProcess", "bevaka-store-probe", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                    exclude: ["Fixtures"]),
        .testTarget(name: "BevakaCLITests", dependencies: ["bevaka", "bevaka-manual", "BevakaTestSupport"]),
        .testTarget(name: "BevakaUITests", dependencies: ["BevakaUI", "BevakaRuntime", "BevakaStore", "BevakaTestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "BevakaPostgresTests",
                    dependencies: ["BevakaPostgres", "BevakaUI", "BevakaRuntime", "BevakaProcess", "BevakaTestSupport", "bevaka-store-probe", "bevaka"]),
    ],
    swiftLanguageModes: [.v6]
)
