import Foundation

/// Splits Telegram HTML that is too long for one message (or caption) into several, each valid on
/// its own.
///
/// Telegram counts the limit on the text after entity parsing, so the splitter counts *visible*
/// UTF-16 code units: tags count 0 and an entity such as `&lt;` counts as the one character it
/// stands for. It cuts at the last paragraph break (a blank line) that fits, else the last line
/// break, else the last space, else hard between two characters; it never cuts inside a tag or an
/// entity, drops the whitespace it cuts at, closes the tags still open at the end of a chunk and
/// opens them again at the start of the next. Chunks holding nothing visible but whitespace are
/// dropped (Telegram refuses empty messages).
public enum MessageSplitter {
    /// Splits `html` into chunks of at most `limit` visible UTF-16 code units each. Text that already
    /// fits comes back as a single chunk, unchanged. `limit` below 16 is raised to 16 (one grapheme may
    /// take several code units).
    public static func split(html: String, limit: Int = TelegramHTML.messageLimit) -> [String] {
        let limit = max(limit, 16)
        let tokens = HTMLTokenizer.tokenize(html)
        let total = tokens.reduce(0) { $0 + $1.visibleLength }
        if total <= limit {
            return isBlank(tokens[...]) ? [] : [html]
        }

        var chunks: [String] = []
        var openTags: [HTMLToken] = []
        var start = 0
        while start < tokens.count {
            let (cut, resume) = cutPoint(tokens, from: start, limit: limit)
            var chunk = openTags.map(\.raw).joined()
            let body = tokens[start..<cut]
            for token in body {
                chunk += token.raw
                apply(token, to: &openTags)
            }
            // The gap holds the whitespace dropped at the cut and closing tags that follow it.
            for token in tokens[cut..<resume] where token.visibleLength == 0 {
                chunk += token.raw
                apply(token, to: &openTags)
            }
            chunk += closingTags(for: openTags)
            if !isBlank(body) { chunks.append(chunk) }
            start = resume
        }
        return chunks
    }

    // MARK: - Choosing the cut

    /// Where the chunk starting at `start` ends (`cut`, exclusive) and where the next one begins
    /// (`resume`, after the whitespace dropped at the cut).
    private static func cutPoint(_ tokens: [HTMLToken], from start: Int, limit: Int) -> (cut: Int, resume: Int) {
        // The furthest end that fits.
        var used = 0
        var end = start
        while end < tokens.count {
            let length = tokens[end].visibleLength
            if used + length > limit { break }
            used += length
            end += 1
        }
        if end == tokens.count { return (end, end) }
        if end == start { return (start + 1, start + 1) } // one character wider than the limit

        // Whitespace runs starting within (firstText, end]; the best kind wins, the last of that kind.
        guard let firstText = tokens[start..<end].firstIndex(where: { $0.visibleLength > 0 && !$0.isWhitespace }) else {
            return (end, end)
        }
        var paragraph: (Int, Int)?
        var line: (Int, Int)?
        var word: (Int, Int)?
        var index = firstText + 1
        while index <= end, index < tokens.count {
            guard tokens[index].isWhitespace else { index += 1; continue }
            var runEnd = index
            var newlines = 0
            while runEnd < tokens.count, tokens[runEnd].isWhitespace {
                if tokens[runEnd].isNewline { newlines += 1 }
                runEnd += 1
            }
            if newlines >= 2 { paragraph = (index, runEnd) } else if newlines == 1 { line = (index, runEnd) } else { word = (index, runEnd) }
            index = runEnd
        }
        var (cut, resume) = paragraph ?? line ?? word ?? (end, end)
        if paragraph == nil, line == nil, word == nil {
            // Hard cut: opening tags that would end the chunk go to the next one instead.
            while cut > firstText + 1, case .open = tokens[cut - 1].kind { cut -= 1 }
            resume = cut
        }
        // Closing tags right after the cut belong to this chunk, not to an empty element in the next.
        while resume < tokens.count, case .close = tokens[resume].kind { resume += 1 }
        return (cut, resume)
    }

    // MARK: - Tags

    private static func apply(_ token: HTMLToken, to openTags: inout [HTMLToken]) {
        switch token.kind {
        case .open:
            openTags.append(token)
        case .close(let name):
            if let match = openTags.lastIndex(where: { if case .open(name) = $0.kind { return true } else { return false } }) {
                openTags.removeSubrange(match...)
            }
        case .text:
            break
        }
    }

    private static func closingTags(for openTags: [HTMLToken]) -> String {
        openTags.reversed().map { token -> String in
            if case .open(let name) = token.kind { return "</\(name)>" }
            return ""
        }.joined()
    }

    private static func isBlank(_ tokens: ArraySlice<HTMLToken>) -> Bool {
        !hasVisibleText(tokens)
    }

    private static func hasVisibleText(_ tokens: ArraySlice<HTMLToken>) -> Bool {
        tokens.contains { $0.visibleLength > 0 && !$0.isWhitespace }
    }
}
