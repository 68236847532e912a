/// A string from an input file (a tensor, attribute or file name) made safe to show in a
/// one-line error message: in double quotes, with `"` and `\` escaped, control, format and
/// line/paragraph separator characters written as `\u{XX}`, and cut after `limit`
/// characters (marked by `...`).
///
/// Edge Cases: the empty string is `""`.
///
/// Postconditions: the result contains no newline characters.
public func quotedName(_ s: String, limit: Int = 100) -> String {
    var out = "\""
    var count = 0
    for scalar in s.unicodeScalars {
        if count == limit {
            out += "..."
            break
        }
        count += 1
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        default:
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned, .privateUse:
                out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}
