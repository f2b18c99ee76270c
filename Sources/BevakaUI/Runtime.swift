import BevakaDomain
import BevakaStore
import Foundation

public enum BackendEvent: Equatable, Sendable {
    case key(Key)
    case resize
    case timeout
}

/// What the main loop needs from a terminal. The ncurses backend implements it; tests use a fake.
public protocol TerminalBackend {
    var size: (width: Int, height: Int) { get }
    mutating func draw(_ buffer: CellBuffer)
    mutating func nextEvent(timeoutMilliseconds: Int) -> BackendEvent
    /// SIGTERM or SIGHUP arrived: save and leave.
    mutating func terminationRequested() -> Bool
    /// Puts text on the terminal's clipboard (OSC 52).
    mutating func copyToClipboard(_ text: String)
}

/// Saves on a background queue so that a key press never waits for the disk. Only the newest
/// caseload is written; a failed save is kept and retried, never dropped.
public final class Saver: @unchecked Sendable {
    public enum Outcome: Sendable {
        case saved(Date)
        case failed(String)
    }

    private let store: FileStore
    private let now: @Sendable () -> Date
    private let lock = NSLock()
    private let queue = DispatchQueue(label: "bevaka.saver")
    private var pending: Caseload?
    private var busy = false
    private var outcomes: [Outcome] = []
    private var lastFailure: Date?
    private var lastFailureReason: String?
    /// What the store holds as far as this process knows: the last caseload saved (or loaded).
    private var saved: Caseload?

    /// `saved` is the caseload as loaded, so that unsaved changes can be named.
    public init(store: FileStore, saved: Caseload? = nil, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.saved = saved
        self.now = now
    }

    public func submit(_ caseload: Caseload) {
        lock.lock()
        pending = caseload
        let start = !busy
        busy = true
        lock.unlock()
        if start { queue.async { self.drain() } }
    }

    private func drain() {
        while true {
            lock.lock()
            guard let caseload = pending else {
                busy = false
                lock.unlock()
                return
            }
            pending = nil
            lock.unlock()
            do {
                try store.save(caseload)
                lock.lock()
                outcomes.append(.saved(now()))
                lastFailure = nil
                lastFailureReason = nil
                saved = caseload
                lock.unlock()
            } catch {
                lock.lock()
                outcomes.append(.failed(error.message))
                if pending == nil { pending = caseload }  // keep it for the retry
                lastFailure = now()
                lastFailureReason = error.message
                busy = false
                lock.unlock()
                return
            }
        }
    }

    /// Outcomes since the last call.
    public func takeOutcomes() -> [Outcome] {
        lock.lock()
        defer { lock.unlock() }
        let taken = outcomes
        outcomes = []
        return taken
    }

    /// Retries a failed save every few seconds.
    public func retryIfDue() {
        lock.lock()
        let due = pending != nil && !busy && (lastFailure.map { now().timeIntervalSince($0) >= 3 } ?? true)
        if due { busy = true }
        lock.unlock()
        if due { queue.async { self.drain() } }
    }

    /// Waits for the queue and makes one last synchronous attempt. Returns false if work is unsaved.
    @discardableResult
    public func flush() -> Bool {
        queue.sync {}
        lock.lock()
        let left = pending
        lock.unlock()
        guard let left else { return true }
        do {
            try store.save(left)
            lock.lock()
            pending = nil
            saved = left
            lastFailure = nil
            lastFailureReason = nil
            lock.unlock()
            return true
        } catch {
            lock.lock()
            lastFailure = now()
            lastFailureReason = error.message
            lock.unlock()
            return false
        }
    }

    /// Why the last save failed, if the newest change is still unsaved.
    public var failureReason: String? {
        lock.lock()
        defer { lock.unlock() }
        return pending == nil ? nil : lastFailureReason
    }

    /// The people whose records differ between the unsaved caseload and the last one saved.
    public func unsavedClientIDs() -> [String] {
        lock.lock()
        let left = pending
        let base = saved
        lock.unlock()
        guard let left else { return [] }
        let before = Dictionary((base?.clients ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var ids = left.clients.filter { before[$0.id] != $0 }.map(\.id)
        let now = Set(left.clients.map(\.id))
        ids += (base?.clients ?? []).map(\.id).filter { !now.contains($0) }
        return ids
    }
}

/// The main loop: draw, wait for a key (with a timeout so saves, signals and midnight are noticed),
/// reduce, perform the effects.
public struct AppLoop<Backend: TerminalBackend> {
    public var state: AppState
    public var backend: Backend
    public let saver: Saver?
    public let clock: @Sendable () -> Date
    /// nil when the date is fixed (`--today`).
    public let currentDay: (@Sendable () -> Day)?
    /// For `~` in file names.
    public let environment: [String: String]
    /// Where a copy of the caseload was written when the store could not be saved and the user quit.
    public private(set) var savedCopy: String?

    public init(state: AppState, backend: Backend, saver: Saver?, clock: @escaping @Sendable () -> Date,
                currentDay: (@Sendable () -> Day)?, environment: [String: String] = [:]) {
        self.state = state
        self.backend = backend
        self.saver = saver
        self.clock = clock
        self.currentDay = currentDay
        self.environment = environment
    }

    /// Runs until quit or a termination signal. Returns true when everything was saved.
    public mutating func run() -> Bool {
        let size = backend.size
        _ = reduce(&state, .resize(width: size.width, height: size.height))
        var lastDrawn: CellBuffer?
        var importJob: ImportJob?
        while true {
            let frame = render(state)
            if frame != lastDrawn {
                backend.draw(frame)
                lastDrawn = frame
            }
            if backend.terminationRequested() { return saver?.flush() ?? true }
            // While an import runs, wake often enough for a smooth progress bar.
            let event = backend.nextEvent(timeoutMilliseconds: importJob == nil ? 250 : 50)
            switch event {
            case .key(let key):
                for effect in reduce(&state, .key(key)) {
                    if let finished = perform(effect, importJob: &importJob) { return finished }
                }
            case .resize:
                let size = backend.size
                _ = reduce(&state, .resize(width: size.width, height: size.height))
                lastDrawn = nil
            case .timeout:
                break
            }
            if let job = importJob {
                let polled = job.poll()
                if let outcome = polled.outcome {
                    importJob = nil
                    for effect in reduce(&state, .importFinished(outcome)) {
                        if case .save(let caseload) = effect { saver?.submit(caseload) }
                    }
                } else {
                    _ = reduce(&state, .importProgress(done: polled.done, total: polled.total))
                }
            }
            if let saver {
                for outcome in saver.takeOutcomes() {
                    switch outcome {
                    case .saved(let date): _ = reduce(&state, .saved(at: AppLoop.time(date)))
                    case .failed(let reason): _ = reduce(&state, .saveFailed(reason))
                    }
                }
                saver.retryIfDue()
            }
            if let currentDay {
                let day = currentDay()
                if day != state.today { _ = reduce(&state, .newDay(day)) }
            }
        }
    }

    /// Carries out one effect. Returns the loop's result when the effect ends the loop.
    mutating func perform(_ effect: Effect, importJob: inout ImportJob?) -> Bool? {
        switch effect {
        case .save(let caseload): saver?.submit(caseload)
        case .quit:
            guard let saver else { return true }
            if saver.flush() { return true }
            // Never leave silently with changes only in memory: ask.
            _ = reduce(&state, .quitBlocked(reason: saver.failureReason ?? "okänt fel",
                                            unsavedClientIDs: saver.unsavedClientIDs()))
        case .quitDiscarding:
            return saver?.flush() ?? true
        case .copy(let text): backend.copyToClipboard(text)
        case .importFile(let path, let caseload):
            importJob = ImportJob(path: path, caseload: caseload, routines: state.routines, today: state.today,
                                  environment: environment, storePath: state.storePath)
        case .writeFile(let path, let contents):
            do {
                let written = try DocumentFile.write(contents, to: path, environment: environment)
                _ = reduce(&state, .fileWritten(path: written))
            } catch {
                _ = reduce(&state, .fileFailed(error.message))
            }
        case .saveCopy(let path, let caseload):
            guard let data = try? StoreCodec.encode(caseload) else {
                _ = reduce(&state, .copyFailed("Ärendelistan kunde inte kodas för kopian."))
                return nil
            }
            do {
                savedCopy = try DocumentFile.write(String(decoding: data, as: UTF8.self), to: path, environment: environment)
                // The copy holds every change; leaving now loses nothing (the store stays as it was).
                return saver?.flush() ?? true
            } catch {
                _ = reduce(&state, .copyFailed(error.message))
            }
        }
        return nil
    }

    static func time(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return String(format: "%02d:%02d", parts.tm_hour, parts.tm_min)
    }
}
