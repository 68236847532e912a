import Foundation
import Testing
import CertmaxIO
import CertmaxAttention
import TestSupport

/// The MiniLM cache folder (scripts/fetch-minilm.sh): $CERTMAX_CACHE/minilm or
/// <package>/.cache/minilm.
enum MiniLMCache {
    static var directory: URL {
        if let root = ProcessInfo.processInfo.environment["CERTMAX_CACHE"], !root.isEmpty {
            return URL(fileURLWithPath: root).appendingPathComponent("minilm")
        }
        return packageRoot.appendingPathComponent(".cache/minilm")
    }
    static var modelPath: String { directory.appendingPathComponent("model.safetensors").path }
    static var vocabPath: String { directory.appendingPathComponent("vocab.txt").path }
    static var configPath: String { directory.appendingPathComponent("config.json").path }
    static var available: Bool {
        let ok = [modelPath, vocabPath, configPath].allSatisfy { FileManager.default.fileExists(atPath: $0) }
        if !ok { print("MiniLM tests skipped: \(directory.path) has no model; run scripts/fetch-minilm.sh") }
        return ok
    }
    static let skipReason: Comment = "all-MiniLM-L6-v2 is not in the cache: run scripts/fetch-minilm.sh"
    static var fixtures: URL { packageRoot.appendingPathComponent("Tests/Fixtures/minilm") }
}

@Suite("WordPiece tokenizer")
struct WordPieceTests {
    static let tiny = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "aff", "##a", "a", "b", "##b",
                       "hello", ",", "!", "cafe", "naive", "中", "run", "##ning", "##n", "ru"]

    @Test("greedy longest-match-first WordPiece with ## continuations and [UNK]")
    func greedy() throws {
        let t = try WordPieceTokenizer(tokens: Self.tiny)
        #expect(t.tokenize("unaffable") == ["un", "##aff", "##able"])
        #expect(t.tokenize("running") == ["run", "##ning"])  // longest prefix "run", not "ru"
        #expect(t.tokenize("runx") == ["[UNK]"])               // an unmatched tail makes the whole word unknown
        #expect(t.tokenize("ab aab") == ["a", "##b", "a", "##a", "##b"])
        #expect(t.tokenize("Hello,  Café!NAÏVE") == ["hello", ",", "cafe", "!", "naive"])
        #expect(t.tokenize("a中b") == ["a", "中", "b"])
        #expect(t.tokenize(String(repeating: "a", count: 100)).count == 100)
        #expect(t.tokenize(String(repeating: "a", count: 101)) == ["[UNK]"])
        #expect(t.encode("hello!") == [2, 12, 14, 3])
        #expect(t.encode("") == [2, 3])
        #expect(t.encode("zzz") == [2, 1, 3])
        #expect(t.basicTokens("a\u{0}b\u{200B}c\tD\u{00A0}e") == ["abc", "d", "e"])
    }

    @Test("cased mode keeps case and accents")
    func cased() throws {
        let t = try WordPieceTokenizer(tokens: Self.tiny + ["Hello", "Café"], lowercase: false)
        #expect(t.tokenize("Hello hello Café cafe HELLO") == ["Hello", "hello", "Café", "cafe", "[UNK]"])
        #expect(t.tokenize("Hello,world") == ["Hello", ",", "[UNK]"])
    }

    @Test("a vocabulary without the special tokens is rejected")
    func missingSpecials() throws {
        let e = #expect(throws: InputError.self) { try WordPieceTokenizer(tokens: ["a", "[CLS]", "[SEP]"], source: "v.txt") }
        #expect(e?.description == "v.txt: vocabulary has no [UNK] token")
        let e2 = #expect(throws: InputError.self) { try WordPieceTokenizer(vocabPath: "/nonexistent/vocab.txt") }
        #expect(e2?.kind == .unreadable)
    }

    @Test("reproduces the HuggingFace tokenizers ids for all-MiniLM-L6-v2", .enabled(if: MiniLMCache.available, MiniLMCache.skipReason))
    func huggingFaceFixture() throws {
        let t = try WordPieceTokenizer(vocabPath: MiniLMCache.vocabPath)
        #expect(t.tokens.count == 30522 && t.classID == 101 && t.separatorID == 102 && t.unknownID == 100)
        let doc = try JSONDocument(path: MiniLMCache.fixtures.appendingPathComponent("wordpiece_hf.json").path)
        guard case .array(let cases) = try doc.value("cases") else { Issue.record("fixture has no cases"); return }
        #expect(cases.count >= 300)
        for c in cases {
            guard case .object(let o) = c, case .string(let text) = o["text"], case .array(let idValues) = o["ids"] else {
                Issue.record("malformed fixture case"); continue
            }
            let expected = idValues.compactMap { v -> Int? in if case .number(let d) = v { return Int(d) } else { return nil } }
            let got = t.encode(text)
            #expect(got == expected, "text \(text.debugDescription): got \(got.map { t.tokens[$0] }), HF \(expected.map { t.tokens[$0] })")
        }
    }
}
