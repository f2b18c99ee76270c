import BevakaTestSupport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import BevakaStore

/// Issue 37, item 1: the workbook's XML is read by `XMLScanner` instead of Foundation's
/// `XMLParser` (whose libxml2 and system ICU every start of the program mapped). `XMLParser`
/// stays the reference here: on every part of every fixture, and on the fuzzer's inputs, both
/// must hear the same elements, attributes and text, and the scanner must never take what
/// XMLParser refuses.
@Suite struct XMLScannerTests {
    /// What a reader hears, as comparable lines; text between two tags joined into one.
    final class Recorder: XMLEvents {
        var lines: [String] = []
        var text = ""
        var stop = false
        func flush() {
            if !text.isEmpty { lines.append("text \(text)") }
            text = ""
        }
        func start(_ name: String, _ attributes: [String: String]) {
            flush()
            lines.append("start \(name) " + attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        }
        func end(_ name: String) {
            flush()
            lines.append("end \(name)")
        }
        func characters(_ text: String) { self.text += text }
    }

    /// Foundation's parser feeding the same events (the reference).
    final class Reference: NSObject, XMLParserDelegate {
        let events: XMLEvents
        init(_ events: XMLEvents) { self.events = events }
        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes: [String: String] = [:]) {
            events.start(elementName, attributes)
        }
        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            events.end(elementName)
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { events.characters(string) }
        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) { events.characters(String(decoding: CDATABlock, as: UTF8.self)) }
    }

    /// The lines each reader heard; nil when it refused the input.
    static func both(_ data: Data) -> (scanner: [String]?, reference: [String]?) {
        let mine = Recorder()
        let scanned: [String]? = (try? XMLScanner.scan([UInt8](data), into: mine)).map { mine.flush(); return mine.lines }
        let theirs = Recorder()
        let parser = XMLParser(stream: InputStream(data: data))
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        let reference = Reference(theirs)
        parser.delegate = reference
        let parsed = parser.parse() && parser.parserError == nil
        theirs.flush()
        return (scanned, parsed ? theirs.lines : nil)
    }

    static let fixtures = ["Fixtures/xlsx", "Fixtures/office"]

    /// Where and why the reference stopped.
    static func referenceError(_ data: Data) -> String {
        let parser = XMLParser(stream: InputStream(data: data))
        parser.shouldProcessNamespaces = false
        _ = parser.parse()
        return "rad \(parser.lineNumber), kolumn \(parser.columnNumber), \(String(describing: parser.parserError))"
    }

    @Test func everyPartOfEveryFixtureIsReadAsXMLParserReadsIt() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        var parts = 0
        for folder in Self.fixtures {
            let url = root.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path) where name.hasSuffix(".xlsx") || name.hasSuffix(".ods") {
                for (path, data) in try XlsxFuzz.parts(of: Data(contentsOf: url.appendingPathComponent(name)))
                where path.hasSuffix(".xml") || path.hasSuffix(".rels") {
                    let (scanner, reference) = Self.both(data)
                    #expect(reference != nil, "\(name) \(path): the reference refused it")
                    #expect(scanner == reference, "\(name) \(path)")
                    parts += 1
                }
            }
        }
        #expect(parts > 40, "\(parts) parts")
    }

    @Test func theXMLThatSpreadsheetsAndAttackersWriteIsReadAsXMLParserReadsIt() {
        let cases = [
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><a x="1" y='2'>t<b/>u</a>"#,
            "<a>&lt;&gt;&amp;&quot;&apos;&#229;&#xE5;&#x1F600;</a>",
            "<a x=\"a\tb\nc\r\nd &#9; &#10;\">x\r\ny\rz</a>",
            "<a><![CDATA[<b>&amp;</b>]]>efter</a>",
            "<!-- före --><a><!-- inne --></a><!-- efter -->\n",
            "\u{FEFF}<a/>", "<x:row xmlns:x=\"urn:x\" r=\"1\" x:r=\"2\"><x:c/></x:row>", "<a>  \n  </a>", "<a>åäö Ω 日本</a>",
        ]
        for text in cases {
            let (scanner, reference) = Self.both(Data(text.utf8))
            #expect(scanner != nil && scanner == reference, "\(text): \(String(describing: scanner)) vs \(String(describing: reference))")
        }
        let refused = [
            "<a>", "<a></b>", "<a/><b/>", "x<a/>", "<a>&nope;</a>", "<a>&#0;</a>", "<a>&#xD800;</a>", "<a x=\"1\" x=\"2\"/>",
            "<a x=1/>", "<a x=\"<\"/>", "<a>]]></a>", "<a>\u{1}</a>", "<!-- a -- b --><a/>", "<1a/>", "<a>&amp</a>", "",
            "<a><![CDATA[never closed</a>", "<a x=\"1\"y=\"2\"/>", "<a b>", "<a></a >extra", "<x:a/>", "<a x:b=\"1\"/>",
            "<?xml version=\"1.0\" encoding=\"latin1\"?><a/>", "<a/><?xml version=\"1.0\"?>", "<a:b:c xmlns:a=\"u\"/>",
        ]
        for text in refused {
            let (scanner, reference) = Self.both(Data(text.utf8))
            #expect(scanner == nil, "\(text) was read: \(String(describing: scanner)); the reference \(reference == nil ? "refuses" : "reads") it")
        }
    }

    /// Seeded: the fuzzer's mutations of real parts. When the reference reads one, the scanner
    /// reads the same (or refuses it for a reason it names: a cut-off document, which
    /// Foundation's parser on Linux takes as whole); the scanner never takes what it refuses.
    @Test func mutatedPartsAreReadAsXMLParserReadsThemOrRefused() throws {
        var random = SeededRandom(seed: 0x37_0001)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        var sources: [Data] = []
        for (folder, name) in [("Fixtures/xlsx", "everyday.xlsx"), ("Fixtures/office", "lista.ods"), ("Fixtures/office", "lista-gnumeric.xlsx")] {
            let parts = try XlsxFuzz.parts(of: Data(contentsOf: root.appendingPathComponent(folder).appendingPathComponent(name)))
            // In the parts' order (a dictionary's differs from run to run).
            sources += parts.filter { $0.key.hasSuffix(".xml") && $0.key != "META-INF/manifest.xml" }.sorted { $0.key < $1.key }.map(\.value)
        }
        var same = 0, bothRefused = 0, onlyScannerRefused = 0, uriOnly = 0
        for index in 0..<1500 {
            let source = sources[Int(random.next() % UInt64(sources.count))]
            let mutated = XlsxFuzz.mutateXML(source, &random)
            // Only what reaches the scanner: UTF-8 (the reader refuses the rest before it).
            guard String(validating: [UInt8](mutated), as: UTF8.self) != nil else { continue }
            let (scanner, reference) = Self.both(mutated)
            switch (scanner, reference) {
            case (let mine?, let theirs?):
                #expect(mine == theirs, "input \(index)")
                same += 1
            case (nil, nil):
                bothRefused += 1
            case (nil, _?):
                onlyScannerRefused += 1
            case (_?, nil):
                // libxml2 also refuses a namespace name that is not a valid URI (a warning Foundation
                // takes as an error); the scanner reads no namespace names, so that alone may differ.
                let plain = String(decoding: mutated, as: UTF8.self)
                    .replacingOccurrences(of: #"(xmlns(:[^=\s]+)?\s*=\s*)("[^"<]*"|'[^'<]*')"#, with: "$1\"urn:x\"", options: .regularExpression)
                let normal = String(decoding: source, as: UTF8.self)
                    .replacingOccurrences(of: #"(xmlns(:[^=\s]+)?\s*=\s*)("[^"<]*"|'[^'<]*')"#, with: "$1\"urn:x\"", options: .regularExpression)
                let again = Self.both(Data(plain.utf8))
                if (again.reference != nil && again.reference == again.scanner) || plain == normal {
                    uriOnly += 1
                } else {
                    let where_ = Self.referenceError(mutated)
                    Issue.record("input \(index): the scanner read what XMLParser refuses (\(where_)): \(String(decoding: mutated, as: UTF8.self).dropFirst(600).prefix(200))")
                }
            }
        }
        print("XML scanner against XMLParser: \(same) read alike, \(bothRefused) refused by both, \(onlyScannerRefused) refused by the scanner only, "
              + "\(uriOnly) refused by XMLParser only for a namespace name that is no valid URI")
        #expect(same > 100 && bothRefused > 100)
    }
}
