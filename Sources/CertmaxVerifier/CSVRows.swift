/// Comma-separated values as VNN-COMP and spreadsheets write them (RFC 4180): fields
/// separated by commas, a field containing a comma, quote or line break quoted with
/// `"`, quotes inside doubled.
///
/// Edge Cases: CRLF and LF line ends; blank lines are skipped; a quoted field may span
/// lines (the row keeps the line where it starts); an unterminated quote ends the
/// input (`parse` reports it as `unterminatedQuoteLine`).
public enum CSVRows {
    /// One row: the line it starts on (1-based) and its fields.
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var fields: [String]
        public init(line: Int, fields: [String]) { self.line = line; self.fields = fields }
    }

    /// Splits text into rows. Returns the rows and, if the text ends inside a quoted
    /// field, the line where that field's row started.
    public static func parse(_ text: String) -> (rows: [Row], unterminatedQuoteLine: Int?) {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var rowLine = 1
        var rowHasContent = false
        var chars = Array(text.unicodeScalars)[...]
        func endRow() {
            fields.append(field)
            if rowHasContent || fields.count > 1 || !field.isEmpty { rows.append(Row(line: rowLine, fields: fields)) }
            fields = []; field = ""; rowHasContent = false
        }
        while let c = chars.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if chars.first == "\"" { field.unicodeScalars.append("\""); chars.removeFirst() } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"": inQuotes = true; rowHasContent = true
            case ",": fields.append(field); field = ""; rowHasContent = true
            case "\r": if chars.first != "\n" { field.unicodeScalars.append(c) }
            case "\n":
                endRow()
                line += 1
                rowLine = line
            default: field.unicodeScalars.append(c)
            }
        }
        if inQuotes { return (rows, rowLine) }
        endRow()
        return (rows, nil)
    }

    /// One field, quoted when needed.
    public static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A row of fields, quoted when needed, ending with a newline.
    public static func line(_ fields: [String]) -> String {
        fields.map(quote).joined(separator: ",") + "\n"
    }
}

import Foundation
