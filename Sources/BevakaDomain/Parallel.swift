import Dispatch
import Foundation

/// Work split in chunks over the machine's cores, the results in the chunks' order. Only for
/// pure work on values (rules, text): the same input gives the same output as one loop.
public enum Parallel {
    /// `work` on `0..<count` split in up to eight consecutive ranges (one per core), in order.
    /// Below `minimum` one range is used: threads cost more than they save on a small list.
    public static func chunks<Result>(_ count: Int, minimum: Int = 1_000,
                                      _ work: (Range<Int>) -> Result) -> [Result] {
        let workers = count < minimum ? 1 : max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))
        if workers == 1 { return [work(0..<count)] }
        let size = (count + workers - 1) / workers
        var results = [Result?](repeating: nil, count: workers)
        results.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let output = buffer
            withoutActuallyEscaping(work) { work in
                nonisolated(unsafe) let work = work
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    output[worker] = work(min(count, worker * size)..<min(count, (worker + 1) * size))
                }
            }
        }
        return results.compactMap { $0 }
    }

    /// `count` values, `value(index)` each, made on all cores and written once each into its
    /// place (below `minimum`, on one): for gathering many large values without copying them twice.
    public static func array<Value>(_ count: Int, minimum: Int = 1_000, _ value: (Int) -> Value) -> [Value] {
        [Value](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            nonisolated(unsafe) let output = base
            _ = chunks(count, minimum: minimum) { range in
                for index in range { (output + index).initialize(to: value(index)) }
            }
            initialized = count
        }
    }

    /// `first` and `second` at the same time, one on each of two cores when there are two and
    /// `together` (false for work too small to be worth a thread), else one after the other.
    public static func both<A, B>(together: Bool = true, _ first: () -> A, _ second: () -> B) -> (A, B) {
        guard together, ProcessInfo.processInfo.activeProcessorCount > 1 else { return (first(), second()) }
        var a: A?
        var b: B?
        withUnsafeMutablePointer(to: &a) { a in
            withUnsafeMutablePointer(to: &b) { b in
                nonisolated(unsafe) let a = a
                nonisolated(unsafe) let b = b
                withoutActuallyEscaping(first) { first in
                    withoutActuallyEscaping(second) { second in
                        nonisolated(unsafe) let first = first
                        nonisolated(unsafe) let second = second
                        DispatchQueue.concurrentPerform(iterations: 2) { index in
                            if index == 0 { a.pointee = first() } else { b.pointee = second() }
                        }
                    }
                }
            }
        }
        guard let a, let b else { return (first(), second()) }
        return (a, b)
    }
}
