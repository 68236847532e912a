import Foundation
import CertmaxIO

/// The BERT tokenizer: basic tokenization followed by greedy WordPiece, as the
/// HuggingFace `BertNormalizer` + `BertPreTokenizer` + `WordPiece` pipeline with
/// `clean_text` and `handle_chinese_chars` on, and `lowercase` (with `strip_accents`
/// implied by it) on for uncased models (the default) or off for cased ones.
///
/// 1. Clean: drop U+0000, U+FFFD and "other" characters (categories Cc, Cf, Cn, Co, Cs)
///    except tab, LF and CR; map every White_Space character to a space.
/// 2. Put spaces around CJK ideographs.
/// 3. Uncased only: canonical decomposition (NFD), drop nonspacing marks (Mn), lowercase.
/// 4. Split on white space; split off every punctuation character (ASCII punctuation
///    or category P*) as its own word.
/// 5. WordPiece each word: longest vocabulary prefix first, continuation pieces with
///    "##"; a word longer than 100 characters or with an unmatched remainder becomes
///    [UNK].
///
/// `encode` adds [CLS] and [SEP]; there is no truncation (the caller checks the length
/// against the model's position table).
public struct WordPieceTokenizer: Sendable {
    public let vocabulary: [String: Int]
    public let tokens: [String]
    public let unknownID: Int
    public let classID: Int
    public let separatorID: Int
    /// Uncased (lowercase and strip accents) or cased (leave the text as is).
    public let lowercase: Bool
    public static let maxCharactersPerWord = 100

    /// Reads vocab.txt: one token per line, the line number (from 0) is the id; trailing
    /// white space on a line is ignored. The file must define [UNK], [CLS] and [SEP].
    public init(vocabPath: String, lowercase: Bool = true) throws(InputError) {
        let (data, source) = try readInputFile(vocabPath)
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(source: source, problem: "not UTF-8 text")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.unicodeScalars.reversed().drop(while: { $0.properties.isWhitespace }).reversed().map(Character.init))
        }
        if lines.last == "" { lines.removeLast() }
        try self.init(tokens: lines, lowercase: lowercase, source: source)
    }

    /// A vocabulary given as the list of tokens (index = id).
    public init(tokens: [String], lowercase: Bool = true, source: String = "<vocabulary>") throws(InputError) {
        var vocab: [String: Int] = [:]
        vocab.reserveCapacity(tokens.count)
        for (i, t) in tokens.enumerated() { vocab[t] = i }
        func special(_ t: String) throws(InputError) -> Int {
            guard let id = vocab[t] else { throw InputError(source: source, problem: "vocabulary has no \(t) token") }
            return id
        }
        self.tokens = tokens
        self.vocabulary = vocab
        self.lowercase = lowercase
        unknownID = try special("[UNK]")
        classID = try special("[CLS]")
        separatorID = try special("[SEP]")
    }

    /// Token ids of `text`, with [CLS] first and [SEP] last.
    public func encode(_ text: String) -> [Int] {
        [classID] + tokenize(text).map { vocabulary[$0] ?? unknownID } + [separatorID]
    }

    /// The WordPiece tokens of `text` (no special tokens added).
    public func tokenize(_ text: String) -> [String] {
        basicTokens(text).flatMap(wordPieces)
    }

    /// Steps 1-4: the normalized words.
    public func basicTokens(_ text: String) -> [String] {
        // 1 and 2: clean, map white space, isolate CJK ideographs.
        var cleaned = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            let v = s.value
            if v == 0 || v == 0xFFFD || Self.isControl(s) { continue }
            if Self.isWhitespace(s) { cleaned.append(" "); continue }
            if Self.isCJK(v) {
                cleaned.append(" "); cleaned.append(s); cleaned.append(" ")
            } else {
                cleaned.append(s)
            }
        }
        // 3: NFD, drop nonspacing marks, lowercase (uncased models only).
        var normalized = String.UnicodeScalarView()
        if lowercase {
            for s in String(cleaned).decomposedStringWithCanonicalMapping.unicodeScalars
            where s.properties.generalCategory != .nonspacingMark {
                normalized.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
            }
        } else {
            normalized = cleaned
        }
        // 4: split on white space and punctuation.
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty { words.append(String(current)); current = String.UnicodeScalarView() }
        }
        for s in normalized {
            if s.properties.isWhitespace {
                flush()
            } else if Self.isPunctuation(s) {
                flush()
                words.append(String(s))
            } else {
                current.append(s)
            }
        }
        flush()
        return words
    }

    /// Step 5 for one word.
    public func wordPieces(_ word: String) -> [String] {
        let scalars = Array(word.unicodeScalars)
        if scalars.count > Self.maxCharactersPerWord { return ["[UNK]"] }
        var pieces: [String] = []
        var start = 0
        while start < scalars.count {
            var end = scalars.count
            var match: String? = nil
            while start < end {
                var piece = String(String.UnicodeScalarView(scalars[start..<end]))
                if start > 0 { piece = "##" + piece }
                if vocabulary[piece] != nil { match = piece; break }
                end -= 1
            }
            guard let m = match else { return ["[UNK]"] }
            pieces.append(m)
            start = end
        }
        return pieces
    }

    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        s == "\t" || s == "\n" || s == "\r" || s.properties.isWhitespace
    }

    static func isControl(_ s: Unicode.Scalar) -> Bool {
        if s == "\t" || s == "\n" || s == "\r" { return false }
        switch s.properties.generalCategory {
        case .control, .format, .unassigned, .privateUse, .surrogate: return true
        default: return false
        }
    }

    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) { return true }
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    static func isCJK(_ v: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2A6DF).contains(v)
            || (0x2A700...0x2B73F).contains(v) || (0x2B740...0x2B81F).contains(v) || (0x2B820...0x2CEAF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0x2F800...0x2FA1F).contains(v)
    }
}
