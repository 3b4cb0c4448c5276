#pragma once

// Text as it appears in spreadsheet XML, turned into the characters a person sees: XML's
// references (&amp; &lt; &gt; &quot; &apos; &#65; &#x41;, nothing else: Roster never reads
// a DTD, so no other entity exists), XML's line-end rule (CR LF and CR read as LF), and
// OOXML's _xHHHH_ escapes (Excel writes _x000D_ for a carriage return). Plus the UTF-8 checks
// the readers share. Pure functions over buffers, thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

namespace roster::sheet {

// Appends the decoded `raw` to `out`. Returns false and sets `*error` (a phrase like
// "'&nbsp;' is not an XML entity") when a reference is unknown, unterminated or names a
// character XML does not allow.
bool AppendXmlText(std::string_view raw, std::string* out, std::string* error);

// Decodes OOXML's _xHHHH_ escapes in place ("_x000D_" -> "\r", "_x005F_" -> "_", a UTF-16
// surrogate pair of escapes -> one character, a lone surrogate -> U+FFFD).
void DecodeOoxmlEscapes(std::string* text);

// True when `text` is valid UTF-8 (no overlongs, surrogates or values beyond U+10FFFF).
bool IsValidUtf8(std::string_view text);

// The number of characters (code points) of UTF-8 `text`.
int64_t CountUtf8Chars(std::string_view text);

}  // namespace roster::sheet
