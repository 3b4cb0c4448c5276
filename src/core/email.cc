#include "core/email.h"

#include <idn2.h>
#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

// How an address becomes its matching key, and the decisions behind it:
//
// - Trim: ASCII and Unicode white space (NBSP from Excel cells, ideographic space, ...) and
//   invisible format characters (zero-width space, byte order mark, bidi marks, soft hyphen)
//   at both ends. Inside the address the same characters are an error (kWhitespace): they
//   are never part of a real address, but silently dropping them would hide a broken cell.
// - Unicode NFC for the whole address; the key's local part is case-folded (full Unicode
//   case folding, locale-independent) and NFC again. Consequences worth knowing: German ß
//   folds to "ss" (Straße and STRASSE match, as Unicode caseless matching says); Turkish
//   dotted İ folds to "i" + U+0307 COMBINING DOT ABOVE, so "İlker" does not match "ilker"
//   while "ILKER" does, because a locale-free fold cannot know that the writer meant
//   Turkish. (In the domain ß stays ß: IDNA2008 rules apply there, see below.)
//   Quoted local parts keep their quotes and escapes in the key; they are not rewritten to
//   an unquoted equivalent (the header promises "never rewritten").
// - Domains: ASCII lower case; non-ASCII labels go through libidn2 (UTS #46 mapping, IDNA2008
//   rules) to punycode. Nontransitional processing comes first because it is what IDNA2008,
//   the registries (DENIC registers faß.de apart from fass.de) and today's browsers and mail
//   servers use: faß.de -> xn--fa-hia.de, a domain of its own. Transitional processing is
//   only a fallback for labels that nontransitional processing refuses (symbol domains of
//   the IDNA2003 era such as i❤.ws, bidi rule failures), so that a domain a mail server still
//   resolves is not refused. It is not tried for labels with a deviation character (ß, ẞ, ς,
//   ZWJ, ZWNJ), the only characters the two modes map differently: the fallback accepts more
//   labels but never changes what a character becomes (no "faß❤" -> "fass❤", no silently
//   dropped joiner), and never the key of a label that nontransitional processing accepts. ASCII
//   labels starting with "xn--" are checked by libidn2 too, so "bücher.de" and "xn--bcher-kva.de"
//   get the same key.
// - Refused on purpose: IP literals ("anna@[192.0.2.1]") and domains ending in a number
//   (company addresses use domain names; a bare IP is nearly always a data error), and
//   full-width ASCII forms (＠, ａ, ．) anywhere: they look like ASCII but would give a key
//   that never matches. They are refused with a repair to plain ASCII, not mapped silently,
//   because matching is never fuzzy.
// - Lengths follow RFC 5321 in octets: the local part as written (UTF-8), the domain in its
//   ASCII form, the whole address as local part + "@" + ASCII domain.
//
// Speed: an import checks up to a million addresses. Pure-ASCII input never touches utf8proc
// or libidn2 (except for "xn--" labels) and is lower-cased by hand; text below U+0100 (German,
// French, ... names) is folded by hand too; converted IDN labels are cached per thread.
// Messages and repairs are only built for invalid addresses.

namespace roster {
namespace {

// RFC 5321 4.5.3.1 limits and the RFC 1035 label limit, in octets.
constexpr size_t kMaxLocalPartOctets = 64;
constexpr size_t kMaxDomainOctets = 255;
constexpr size_t kMaxAddressOctets = 254;
constexpr size_t kMaxLabelOctets = 63;
// Repairs may chain ("mailto:anna @example.com." needs three); bounds the recursion.
constexpr int kMaxRepairDepth = 3;
// Longest excerpt of the input quoted in a message, so a huge cell keeps the message short.
constexpr size_t kMaxQuotedOctets = 40;
constexpr std::string_view kMailto = "mailto:";
constexpr std::string_view kFullWidthAt = "\xEF\xBC\xA0";  // U+FF20 FULLWIDTH COMMERCIAL AT
constexpr std::string_view kAcePrefix = "xn--";
constexpr char32_t kAsciiEnd = 0x80;
// Up to U+00FF full case folding is small enough to do by hand (FoldLatin1).
constexpr char32_t kLatin1End = 0x100;
// No character below U+0300 decomposes, combines or reorders (the first combining marks and
// NFC_Quick_Check=No/Maybe characters start there), so text below it is already NFC.
constexpr char32_t kNfcStableEnd = 0x300;
// Recently converted IDN labels kept per thread (see IdnLabelCache).
constexpr size_t kIdnCacheSize = 8;

// ---------------------------------------------------------------------------------------
// UTF-8 and character classes.

struct CodePoint {
  char32_t value = 0;
  size_t length = 0;  // 0 when the bytes are not valid UTF-8
};

// Decodes the code point at s[i], rejecting overlong forms, surrogates and values past
// U+10FFFF (what RFC 3629 calls valid UTF-8).
CodePoint Decode(std::string_view s, size_t i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  if (lead < 0x80) return {lead, 1};
  size_t length = 0;
  char32_t value = 0;
  char32_t min = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, value = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, value = lead & 0x07, min = 0x10000;
  } else {
    return {};
  }
  if (s.size() - i < length) return {};
  for (size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(s[i + k]);
    if ((next & 0xC0) != 0x80) return {};
    value = (value << 6) | (next & 0x3F);
  }
  if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return {};
  return {value, length};
}

// The largest code point in `s`, or nothing when `s` is not valid UTF-8. It picks the fast
// paths: ASCII, below U+0100 (hand folding), below U+0300 (already NFC).
std::optional<char32_t> MaxCodePoint(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  char32_t max = 0;
  for (size_t k = 0; k < i; ++k) max = std::max<char32_t>(max, static_cast<unsigned char>(s[k]));
  while (i < s.size()) {
    const CodePoint cp = Decode(s, i);
    if (cp.length == 0) return std::nullopt;
    max = std::max(max, cp.value);
    i += cp.length;
  }
  return max;
}

bool IsAscii(std::string_view s) {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// The Unicode White_Space property.
bool IsWhiteSpace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

// Invisible format characters that come with copy and paste from documents and web pages.
// ZWJ and ZWNJ are not among them: some scripts need them, and IDNA rules them in domains.
bool IsInvisible(char32_t c) {
  return c == 0xAD || c == 0x61C || c == 0x180E || c == 0x200B || c == 0x200E || c == 0x200F ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x2064) ||
         (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

bool IsTrimmable(char32_t c) { return IsWhiteSpace(c) || IsInvisible(c); }

// Full-width forms of ASCII (U+FF01..U+FF5E), typed with an East Asian input method.
bool IsFullWidthAscii(char32_t c) { return c >= 0xFF01 && c <= 0xFF5E; }

// Characters that IDNA treats as a dot between labels besides '.' itself.
bool IsIdeographicDot(char32_t c) { return c == 0x3002 || c == 0xFF61; }

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

// Whether `s` starts with `prefix` (lower-case ASCII), ignoring ASCII case.
bool StartsWithIgnoringCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (AsciiLower(s[i]) != prefix[i]) return false;
  }
  return true;
}

// RFC 5322 atext: the ASCII characters allowed in an unquoted local part besides the dot.
constexpr std::array<bool, 128> MakeAtextTable() {
  std::array<bool, 128> table{};
  for (char c = 'a'; c <= 'z'; ++c) table[static_cast<unsigned char>(c)] = true;
  for (char c = 'A'; c <= 'Z'; ++c) table[static_cast<unsigned char>(c)] = true;
  for (char c = '0'; c <= '9'; ++c) table[static_cast<unsigned char>(c)] = true;
  for (const char c : std::string_view("!#$%&'*+-/=?^_`{|}~")) {
    table[static_cast<unsigned char>(c)] = true;
  }
  return table;
}
constexpr std::array<bool, 128> kAtext = MakeAtextTable();

bool IsAtext(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x80 && kAtext[byte];
}

void AppendUtf8(char32_t c, std::string& out) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Full-width ASCII forms and ideographic dots replaced by their ASCII counterparts.
std::string MapFullWidth(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const CodePoint cp = Decode(s, i);
    if (IsFullWidthAscii(cp.value)) {
      out += static_cast<char>(cp.value - 0xFF01 + 0x21);
    } else if (IsIdeographicDot(cp.value)) {
      out += '.';
    } else {
      out.append(s.substr(i, cp.length));
    }
    i += cp.length;
  }
  return out;
}

// Removes trimmable characters at both ends; `s` must be valid UTF-8.
std::string_view Trim(std::string_view s) {
  size_t begin = 0;
  size_t end = s.size();
  while (begin < end) {
    const CodePoint cp = Decode(s, begin);
    if (!IsTrimmable(cp.value)) break;
    begin += cp.length;
  }
  while (end > begin) {
    size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    if (!IsTrimmable(Decode(s, start).value)) break;
    end = start;
  }
  return s.substr(begin, end - begin);
}

struct MallocFree {
  void operator()(void* p) const { std::free(p); }
};

// utf8proc_map over `s`; nothing when utf8proc refuses it (only on invalid UTF-8).
std::optional<std::string> Utf8procMap(std::string_view s, int options) {
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t length = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                                               static_cast<utf8proc_ssize_t>(s.size()), &mapped,
                                               static_cast<utf8proc_option_t>(options));
  const std::unique_ptr<utf8proc_uint8_t, MallocFree> owner(mapped);
  if (length < 0) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(mapped), static_cast<size_t>(length));
}

// `s` in NFC; `max` is its largest code point.
std::optional<std::string> Nfc(std::string_view s, char32_t max) {
  if (max < kNfcStableEnd) return std::string(s);
  return Utf8procMap(s, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
}

// Full case folding (CaseFolding.txt, status C and F) of text below U+0100, the common
// Western European case, without utf8proc's allocations. The result is NFC: nothing here
// can combine.
std::string FoldLatin1(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 1);
  for (size_t i = 0; i < s.size();) {
    const CodePoint cp = Decode(s, i);
    char32_t c = cp.value;
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7)) {
      c += 0x20;  // A-Z, À-Þ without the multiplication sign
    } else if (c == 0xDF) {
      out += "ss";  // ß
      c = 0;
    } else if (c == 0xB5) {
      c = 0x3BC;  // the micro sign folds to Greek mu
    }
    if (c != 0) AppendUtf8(c, out);
    i += cp.length;
  }
  return out;
}

// The local part of the key: full case folding, then NFC (utf8proc does both in one pass).
// `max` is the largest code point of the address.
std::optional<std::string> FoldLocalPart(std::string_view local, char32_t max) {
  if (max < kAsciiEnd) return AsciiLower(local);
  if (max < kLatin1End) return FoldLatin1(local);
  return Utf8procMap(local, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
}

// ---------------------------------------------------------------------------------------
// Message helpers.

// `s` in quotation marks, cut at a code point boundary when long.
std::string Quote(std::string_view s) {
  if (s.size() <= kMaxQuotedOctets) return "\"" + std::string(s) + "\"";
  size_t cut = kMaxQuotedOctets;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return "\"" + std::string(s.substr(0, cut)) + "…\"";
}

// The end of `s` in quotation marks, cut at a code point boundary when long.
std::string QuoteTail(std::string_view s) {
  if (s.size() <= kMaxQuotedOctets) return "\"" + std::string(s) + "\"";
  size_t cut = s.size() - kMaxQuotedOctets;
  while (cut < s.size() && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) ++cut;
  return "\"…" + std::string(s.substr(cut)) + "\"";
}

// How a person would name a character that does not belong in an address.
std::string DescribeCharacter(char32_t c) {
  switch (c) {
    case ',': return "a comma";
    case ';': return "a semicolon";
    case ':': return "a colon";
    case '(':
    case ')': return "a parenthesis";
    case '<':
    case '>': return "an angle bracket";
    case '[':
    case ']': return "a square bracket";
    case '"': return "a quotation mark";
    case '\\': return "a backslash";
    case '_': return "an underscore";
    default: break;
  }
  std::string text = "the character \"";
  AppendUtf8(c, text);
  return text + "\"";
}

std::string DescribeSpace(char32_t c) {
  if (c == ' ') return "a space";
  if (c == 0xA0 || c == 0x202F) return "a non-breaking space";
  if (c == '\t') return "a tab";
  if ((c >= 0x0A && c <= 0x0D) || c == 0x85 || c == 0x2028 || c == 0x2029) return "a line break";
  if (IsWhiteSpace(c)) return "a wide space";
  if (IsInvisible(c)) return "an invisible character (such as a zero-width space)";
  return "an invisible control character";
}

// ---------------------------------------------------------------------------------------
// The checks. Each returns the first problem it finds, with a repair to try where the fix
// is plain; the caller keeps the repair only when it checks out.

struct Failure {
  EmailProblem problem = EmailProblem::kNone;
  std::string message;
  std::string candidate;  // a repaired address to try; empty when there is none
};

using Finding = std::optional<Failure>;

Failure Fail(EmailProblem problem, std::string message, std::string candidate = {}) {
  return Failure{problem, std::move(message), std::move(candidate)};
}

// Where the '@' splits the address. `local` keeps the quotes of a quoted local part.
struct Parts {
  std::string_view local;
  std::string_view domain;
  size_t at = 0;
  bool quoted = false;
};

// "mailto:" and "Name <address>": an address wrapped in something else.
Finding CheckWrapping(std::string_view text) {
  if (StartsWithIgnoringCase(text, kMailto)) {
    return Fail(EmailProblem::kMailtoPrefix,
                "The address starts with \"mailto:\", which belongs to a link, not to the address. "
                "Remove \"mailto:\" and keep only the address.",
                std::string(text.substr(kMailto.size())));
  }
  const size_t open = text.rfind('<');
  if (text.back() != '>' || open == std::string_view::npos) return std::nullopt;
  std::string inner(text.substr(open + 1, text.size() - open - 2));
  if (open == 0) {
    return Fail(EmailProblem::kDisplayName,
                "The address is wrapped in angle brackets < >. Write only the address, without "
                "the brackets.",
                std::move(inner));
  }
  return Fail(EmailProblem::kDisplayName,
              "The cell holds a name together with the address (" + Quote(text) +
                  "). Write only the address, without the name and the angle brackets < >.",
              std::move(inner));
}

Failure MissingAt(std::string_view text) {
  if (text.find(kFullWidthAt) != std::string_view::npos) {
    return Fail(EmailProblem::kMissingAt,
                "The address uses a wide ＠ (typed with an Asian keyboard setting) instead of @. "
                "Retype it with a normal @, as in name@company.com.",
                MapFullWidth(text));
  }
  return Fail(EmailProblem::kMissingAt, "The address " + Quote(text) +
                                            " has no @ between name and domain. Write it as "
                                            "name@company.com.");
}

// More than one '@' after the local part; `at` is the first.
Failure MultipleAt(std::string_view text, size_t at) {
  const size_t last = text.rfind('@');
  const bool one_run =
      text.substr(at, last - at + 1).find_first_not_of('@') == std::string_view::npos;
  if (one_run) {
    return Fail(EmailProblem::kMultipleAt,
                "The address has a doubled @ (" + Quote(text) +
                    "). Keep only one @, as in name@company.com.",
                std::string(text.substr(0, at + 1)) + std::string(text.substr(last + 1)));
  }
  return Fail(EmailProblem::kMultipleAt,
              "The address " + Quote(text) +
                  " has more than one @. An address has exactly one @, as in name@company.com; "
                  "put each address in its own row.");
}

// The index of the quote closing the one at text[0], or npos. Backslash escapes a byte.
size_t FindClosingQuote(std::string_view text) {
  for (size_t i = 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i;
    }
  }
  return std::string_view::npos;
}

// Index of the first character at or after `i` that is not white space or invisible.
size_t SkipBlanks(std::string_view text, size_t i) {
  while (i < text.size()) {
    const CodePoint cp = Decode(text, i);
    if (!IsTrimmable(cp.value) && !IsControl(cp.value)) break;
    i += cp.length;
  }
  return i;
}

Finding SplitQuoted(std::string_view text, Parts& parts) {
  const size_t close = FindClosingQuote(text);
  if (close == std::string_view::npos) {
    std::string rest(text.substr(1));
    return Fail(EmailProblem::kUnclosedQuote,
                "The address opens a quotation mark (\") that is never closed. Remove the "
                "quotation mark.",
                rest.find('"') == std::string::npos ? std::move(rest) : std::string());
  }
  const size_t next = SkipBlanks(text, close + 1);
  if (next == text.size()) {
    const std::string_view inner = text.substr(1, close - 1);
    if (inner.find('@') == std::string_view::npos) return MissingAt(text);
    return Fail(EmailProblem::kInvalidCharacter,
                "The whole address is enclosed in quotation marks. Remove the quotation marks.",
                std::string(inner));
  }
  if (text[next] != '@') {
    return Fail(EmailProblem::kInvalidCharacter,
                "The part before the @ has text after its closing quotation mark (" +
                    Quote(text.substr(0, text.find('@', close))) +
                    "). Remove the quotation marks, or put the whole part before the @ inside "
                    "them.");
  }
  parts.quoted = true;
  parts.local = text.substr(0, close + 1);
  parts.at = next;
  return std::nullopt;
}

Finding SplitAtSign(std::string_view text, Parts& parts) {
  if (text.front() == '"') {
    if (Finding failure = SplitQuoted(text, parts)) return failure;
  } else {
    parts.at = text.find('@');
    if (parts.at == std::string_view::npos) return MissingAt(text);
    parts.local = text.substr(0, parts.at);
  }
  parts.domain = text.substr(parts.at + 1);
  if (parts.domain.find('@') != std::string_view::npos) return MultipleAt(text, parts.at);
  return std::nullopt;
}

Finding CheckEmptyParts(const Parts& parts) {
  if (parts.local.empty() || parts.local == "\"\"") {
    return Fail(EmailProblem::kEmptyLocalPart,
                "The address has nothing before the @. Add the name part, as in "
                "name@company.com.");
  }
  if (parts.domain.empty()) {
    return Fail(EmailProblem::kEmptyDomain,
                "The address has nothing after the @. Add the company's domain, as in "
                "name@company.com.");
  }
  return std::nullopt;
}

bool IsBlank(char32_t c) { return IsWhiteSpace(c) || IsInvisible(c) || IsControl(c); }

// Inside a quoted local part the ASCII space is an ordinary character (RFC 5321 qtextSMTP).
bool IsAllowedBlank(char32_t c, bool in_quotes) { return in_quotes && c == ' '; }

// The address without its blanks, when that is plainly what was meant: invisible and control
// characters anywhere, spaces next to '@' or '.' ("anna @ example . com"). A space between
// two letters ("anna schmidt@", "Anna Schmidt anna@") could stand for '.', '_' or a name in
// front of the address, and a tab or odd space inside quotes may be meant as a space, so
// there is no repair then. Empty when no plain repair exists.
std::string RemoveBlanks(std::string_view text, const Parts& parts) {
  const std::string_view quoted = text.substr(0, parts.quoted ? parts.local.size() : 0);
  for (size_t i = 0; i < quoted.size();) {
    const CodePoint cp = Decode(quoted, i);
    if (IsBlank(cp.value) && !IsAllowedBlank(cp.value, true)) return {};
    i += cp.length;
  }
  std::string out(quoted);
  for (size_t i = quoted.size(); i < text.size();) {
    const CodePoint cp = Decode(text, i);
    if (!IsBlank(cp.value)) {
      out.append(text.substr(i, cp.length));
      i += cp.length;
    } else if (!IsWhiteSpace(cp.value)) {
      i += cp.length;
    } else {
      const size_t next = SkipBlanks(text, i);
      const char before = out.empty() ? '@' : out.back();
      const char after = next == text.size() ? '@' : text[next];
      const bool beside_separator =
          before == '@' || before == '.' || before == '"' || after == '@' || after == '.';
      if (!beside_separator) return {};
      i = next;
    }
  }
  return out;
}

// Spaces, control and invisible characters inside the address.
Finding CheckBlanks(std::string_view text, const Parts& parts) {
  const size_t quoted_end = parts.quoted ? parts.local.size() : 0;
  for (size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte > 0x20 && byte < 0x7F) {  // visible ASCII: nearly every character
      ++i;
      continue;
    }
    const CodePoint cp = Decode(text, i);
    if (IsBlank(cp.value) && !IsAllowedBlank(cp.value, i < quoted_end)) {
      const std::string where = i == 0 ? "" : " after " + QuoteTail(text.substr(0, i));
      return Fail(EmailProblem::kWhitespace,
                  "The address contains " + DescribeSpace(cp.value) + where +
                      ". Email addresses have no spaces or invisible characters; remove it.",
                  RemoveBlanks(text, parts));
    }
    i += cp.length;
  }
  return std::nullopt;
}

// `part` with every run of dots reduced to one dot.
std::string CollapseDots(std::string_view part) {
  std::string out;
  out.reserve(part.size());
  for (const char c : part) {
    if (c == '.' && !out.empty() && out.back() == '.') continue;
    out += c;
  }
  return out;
}

Finding CheckUnquotedLocalDots(std::string_view text, const Parts& parts) {
  const std::string_view local = parts.local;
  if (local.front() == '.') {
    // No repair: ".schmidt" may have lost a first name, not gained a dot.
    return Fail(EmailProblem::kLeadingDot,
                "The part before the @ starts with a dot (" + Quote(local) +
                    "). Remove the dot or add what is missing in front of it.");
  }
  if (local.back() == '.') {
    return Fail(EmailProblem::kTrailingDot,
                "The part before the @ ends with a dot (" + Quote(local) +
                    "). Remove the dot or add what is missing after it.");
  }
  if (local.find("..") != std::string_view::npos) {
    return Fail(
        EmailProblem::kConsecutiveDots,
        "The part before the @ has two dots in a row (" + Quote(local) + "). Use a single dot.",
        CollapseDots(local) + std::string(text.substr(parts.at)));
  }
  return std::nullopt;
}

// RFC 5322 atext and dots; any non-ASCII character as RFC 6531 allows, except full-width
// ASCII forms.
Finding CheckUnquotedLocalCharacters(std::string_view text, const Parts& parts) {
  const std::string_view local = parts.local;
  for (size_t i = 0; i < local.size();) {
    const CodePoint cp = Decode(local, i);
    if (IsFullWidthAscii(cp.value)) {
      return Fail(EmailProblem::kInvalidCharacter,
                  "The part before the @ is written with wide (full-width) characters (" +
                      Quote(local) + "). Retype it with normal characters.",
                  MapFullWidth(text));
    }
    if (cp.value < 0x80 && local[i] != '.' && !IsAtext(local[i])) {
      return Fail(EmailProblem::kInvalidCharacter,
                  "The part before the @ contains " + DescribeCharacter(cp.value) + " (" +
                      Quote(local) +
                      "), which is not allowed in an email address. Remove it or check the "
                      "address with the person.");
    }
    i += cp.length;
  }
  return std::nullopt;
}

// Inside quotes every visible ASCII character and space is allowed (RFC 5321 qtextSMTP),
// and any non-ASCII one (RFC 6531); a backslash must escape a visible ASCII character.
Finding CheckQuotedLocal(const Parts& parts) {
  const std::string_view inner = parts.local.substr(1, parts.local.size() - 2);
  for (size_t i = 0; i < inner.size(); ++i) {
    if (inner[i] != '\\') continue;
    const auto escaped = i + 1 < inner.size() ? static_cast<unsigned char>(inner[i + 1]) : 0;
    if (escaped < 0x20 || escaped > 0x7E) {
      return Fail(EmailProblem::kInvalidCharacter,
                  "The part before the @ has a backslash that is not followed by a plain "
                  "character (" +
                      Quote(parts.local) + "). Remove the backslash.");
    }
    ++i;
  }
  return std::nullopt;
}

Finding CheckLocalPart(std::string_view text, const Parts& parts) {
  if (parts.quoted) {
    if (Finding failure = CheckQuotedLocal(parts)) return failure;
  } else {
    if (Finding failure = CheckUnquotedLocalDots(text, parts)) return failure;
    if (Finding failure = CheckUnquotedLocalCharacters(text, parts)) return failure;
  }
  if (parts.local.size() > kMaxLocalPartOctets) {
    return Fail(EmailProblem::kLocalPartTooLong,
                "The part before the @ is too long: " + std::to_string(parts.local.size()) +
                    " characters where at most 64 are allowed (accented letters count as 2 or "
                    "more). Check the address.");
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------
// Domains. `prefix` is what precedes the domain in the address ("anna@", or nothing for
// an organization's domain); repairs are whole addresses.

Failure InvalidLabel(std::string message, std::string candidate = {}) {
  return Fail(EmailProblem::kInvalidDomainLabel, std::move(message), std::move(candidate));
}

Finding CheckDomainDots(std::string_view domain, std::string_view prefix) {
  if (domain.front() == '.') {
    const size_t start = domain.find_first_not_of('.');
    return Fail(EmailProblem::kLeadingDot,
                "The domain after the @ starts with a dot (" + Quote(domain) + "). Remove the dot.",
                start == std::string_view::npos
                    ? std::string()
                    : std::string(prefix) + std::string(domain.substr(start)));
  }
  if (domain.back() == '.') {
    const size_t end = domain.find_last_not_of('.') + 1;
    return Fail(EmailProblem::kTrailingDot,
                "The domain after the @ ends with a dot (" + Quote(domain) +
                    "). Remove the dot at the end.",
                std::string(prefix) + std::string(domain.substr(0, end)));
  }
  if (domain.find("..") != std::string_view::npos) {
    return Fail(
        EmailProblem::kConsecutiveDots,
        "The domain after the @ has two dots in a row (" + Quote(domain) + "). Use a single dot.",
        std::string(prefix) + CollapseDots(domain));
  }
  return std::nullopt;
}

// What is refused before looking at labels: IP literals and full-width forms.
Finding CheckDomainForm(std::string_view domain, std::string_view prefix, bool ascii) {
  if (domain.front() == '[') {
    return InvalidLabel("The domain " + Quote(domain) +
                        " is an IP address. Roster accepts only addresses with a domain name, "
                        "such as name@company.com.");
  }
  if (ascii) return std::nullopt;
  for (size_t i = 0; i < domain.size();) {
    const CodePoint cp = Decode(domain, i);
    if (IsFullWidthAscii(cp.value) || IsIdeographicDot(cp.value)) {
      return InvalidLabel("The domain " + Quote(domain) +
                              " is written with wide (full-width) characters. Retype it with "
                              "normal characters.",
                          std::string(prefix) + MapFullWidth(domain));
    }
    i += cp.length;
  }
  return std::nullopt;
}

// ASCII characters of a label: letters, digits and hyphens, not at either end. Non-ASCII
// characters are left to libidn2.
Finding CheckLabelCharacters(std::string_view label, std::string_view domain,
                             std::string_view prefix) {
  for (const char c : label) {
    if (static_cast<unsigned char>(c) >= 0x80 || IsAsciiAlnum(c) || c == '-') continue;
    if (c == ',') {
      std::string fixed(domain);
      for (char& f : fixed) f = f == ',' ? '.' : f;
      return InvalidLabel("The domain " + Quote(domain) +
                              " contains a comma. Use a dot instead, as in company.com.",
                          std::string(prefix) + fixed);
    }
    // A semicolon at the very end is a list separator that came along with the address.
    const size_t end = domain.find_last_not_of(';') + 1;
    const bool trailing_semicolon = c == ';' && domain.find(';') == end;
    return InvalidLabel(
        "The domain " + Quote(domain) + " contains " + DescribeCharacter(static_cast<char32_t>(c)) +
            ", which domains cannot contain. A domain has only letters, digits, hyphens and "
            "dots; check its spelling.",
        trailing_semicolon ? std::string(prefix) + std::string(domain.substr(0, end))
                           : std::string());
  }
  if (label.front() == '-' || label.back() == '-') {
    return InvalidLabel("The domain part " + Quote(label) +
                        " starts or ends with a hyphen, which domains do not allow. Check the "
                        "spelling of the domain.");
  }
  return std::nullopt;
}

Failure LabelTooLong(std::string_view label) {
  return InvalidLabel("The domain part " + Quote(label) +
                      " is longer than 63 characters, the limit for each part between dots. "
                      "Check the domain.");
}

// Letters, digits and inner hyphens: what a label may hold in ASCII form (RFC 952, 1123).
bool IsValidAsciiLabel(std::string_view label) {
  for (const char c : label) {
    if (!IsAsciiAlnum(c) && c != '-') return false;
  }
  return !label.empty() && label.front() != '-' && label.back() != '-';
}

// The UTS #46 deviation characters, the only ones that transitional and nontransitional
// processing map differently: ß, ẞ, final sigma, ZWNJ and ZWJ.
bool HasDeviationCharacter(std::string_view label) {
  constexpr std::string_view kDeviations[] = {"\u00DF", "\u1E9E", "\u03C2", "\u200C", "\u200D"};
  for (const std::string_view deviation : kDeviations) {
    if (label.find(deviation) != std::string_view::npos) return true;
  }
  return false;
}

// One label through libidn2: nontransitional first, transitional only when that refuses
// and the label holds no deviation character, so that the fallback accepts more labels but
// never maps a character differently (see the top of the file). Returns the libidn2 error
// when the label is refused.
int IdnaToAscii(const std::string& label, std::string& ascii) {
  const int modes[] = {IDN2_NONTRANSITIONAL,
                       HasDeviationCharacter(label) ? IDN2_NONTRANSITIONAL : IDN2_TRANSITIONAL};
  int rc = IDN2_OK;
  for (const int mode : modes) {
    char* output = nullptr;
    rc = idn2_lookup_u8(reinterpret_cast<const uint8_t*>(label.c_str()),
                        reinterpret_cast<uint8_t**>(&output), IDN2_NFC_INPUT | mode);
    const std::unique_ptr<char, MallocFree> owner(output);
    if (rc == IDN2_OK) {
      ascii = output;
      return rc;
    }
  }
  return rc;
}

// libidn2 takes microseconds per label, and an import repeats its few company domains up to a
// million times, so each thread remembers the labels it converted last. Only successful
// conversions are kept, and a conversion depends on the label alone: the functions stay pure.
class IdnLabelCache {
 public:
  static IdnLabelCache& ForThisThread() {
    thread_local IdnLabelCache cache;
    return cache;
  }

  // The ASCII form of `label`, valid until the next Add.
  [[nodiscard]] const std::string* Find(std::string_view label) const {
    for (const Entry& entry : entries_) {
      if (!entry.label.empty() && entry.label == label) return &entry.ascii;
    }
    return nullptr;
  }

  void Add(std::string label, std::string ascii) {
    entries_[next_] = Entry{std::move(label), std::move(ascii)};
    next_ = (next_ + 1) % entries_.size();
  }

 private:
  struct Entry {
    std::string label;
    std::string ascii;
  };
  std::array<Entry, kIdnCacheSize> entries_;
  size_t next_ = 0;
};

// A non-ASCII label, or an ASCII one in "xn--" form, to its lower-case ASCII form.
Finding ConvertIdnLabel(std::string_view label, std::string_view domain, std::string& out) {
  std::string lowered = AsciiLower(label);
  IdnLabelCache& cache = IdnLabelCache::ForThisThread();
  if (const std::string* cached = cache.Find(lowered)) {
    out += *cached;
    return std::nullopt;
  }
  std::string ascii;
  const int rc = IdnaToAscii(lowered, ascii);
  if (rc == IDN2_TOO_BIG_LABEL || rc == IDN2_PUNYCODE_BIG_OUTPUT) return LabelTooLong(label);
  // Mapping may turn a character into ASCII the domain cannot hold ("﹍" -> "_", "⒈" -> "1.").
  if (rc != IDN2_OK || !IsValidAsciiLabel(ascii)) {
    return InvalidLabel("The domain " + Quote(domain) +
                        " contains characters that international domain names do not allow. "
                        "Check the spelling of the domain.");
  }
  if (ascii.size() > kMaxLabelOctets) return LabelTooLong(label);
  ascii = AsciiLower(ascii);
  out += ascii;
  cache.Add(std::move(lowered), std::move(ascii));
  return std::nullopt;
}

Finding AppendLabel(std::string_view label, std::string_view domain, std::string_view prefix,
                    std::string& out) {
  if (Finding failure = CheckLabelCharacters(label, domain, prefix)) return failure;
  if (!IsAscii(label) || StartsWithIgnoringCase(label, kAcePrefix)) {
    return ConvertIdnLabel(label, domain, out);
  }
  if (label.size() > kMaxLabelOctets) return LabelTooLong(label);
  const size_t start = out.size();
  out.append(label);
  for (size_t i = start; i < out.size(); ++i) out[i] = AsciiLower(out[i]);
  return std::nullopt;
}

bool IsAllDigits(std::string_view s) {
  return s.find_first_not_of("0123456789") == std::string_view::npos;
}

// Validates `domain` (NFC, trimmed, not empty) and sets `ascii` to its key form.
Finding CheckDomain(std::string_view domain, std::string_view prefix, std::string& ascii) {
  const bool is_ascii = IsAscii(domain);
  if (Finding failure = CheckDomainForm(domain, prefix, is_ascii)) return failure;
  if (Finding failure = CheckDomainDots(domain, prefix)) return failure;
  ascii.clear();
  ascii.reserve(domain.size());
  size_t labels = 0;
  size_t last_label = 0;
  for (size_t start = 0; start <= domain.size(); ++labels) {
    size_t end = domain.find('.', start);
    if (end == std::string_view::npos) end = domain.size();
    if (labels > 0) ascii += '.';
    last_label = ascii.size();
    if (Finding failure = AppendLabel(domain.substr(start, end - start), domain, prefix, ascii)) {
      return failure;
    }
    start = end + 1;
  }
  if (labels == 1) {
    return Fail(
        EmailProblem::kDomainWithoutDot,
        "The domain " + Quote(domain) + " has no dot. Write the full domain, such as company.com.");
  }
  if (IsAllDigits(std::string_view(ascii).substr(last_label))) {
    return InvalidLabel("The domain " + Quote(domain) +
                        " ends with a number, like an IP address. Use the company's domain name, "
                        "such as company.com.");
  }
  if (ascii.size() > kMaxDomainOctets) {
    return Fail(EmailProblem::kDomainTooLong,
                "The domain is too long: " + std::to_string(ascii.size()) +
                    " characters where at most 255 are allowed. Check the domain.");
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------
// The whole address.

// Checks `text` (trimmed, NFC); on success sets `key`.
Finding Analyze(std::string_view text, char32_t max, std::string& key) {
  if (Finding failure = CheckWrapping(text)) return failure;
  Parts parts;
  if (Finding failure = SplitAtSign(text, parts)) return failure;
  if (Finding failure = CheckEmptyParts(parts)) return failure;
  if (Finding failure = CheckBlanks(text, parts)) return failure;
  if (Finding failure = CheckLocalPart(text, parts)) return failure;
  std::string domain;
  if (Finding failure = CheckDomain(parts.domain, text.substr(0, parts.at + 1), domain)) {
    return failure;
  }
  const size_t length = parts.local.size() + 1 + domain.size();
  if (length > kMaxAddressOctets) {
    return Fail(EmailProblem::kAddressTooLong,
                "The address is too long: " + std::to_string(length) +
                    " characters where at most 254 are allowed. Check the address.");
  }
  std::optional<std::string> local = FoldLocalPart(parts.local, max);
  if (!local) return Fail(EmailProblem::kInvalidUtf8, "The address could not be read.");
  key = std::move(*local);
  key += '@';
  key += domain;
  return std::nullopt;
}

Failure InvalidUtf8() {
  return Fail(EmailProblem::kInvalidUtf8,
              "The address contains unreadable characters, probably because the file's text "
              "encoding is wrong. Retype the address, or save the file again as .xlsx or as "
              "UTF-8 text.");
}

EmailCheck Check(std::string_view raw, int depth);

EmailCheck FromFailure(Failure failure, int depth) {
  EmailCheck check;
  check.problem = failure.problem;
  check.message = std::move(failure.message);
  if (!failure.candidate.empty() && depth < kMaxRepairDepth) {
    EmailCheck repaired = Check(failure.candidate, depth + 1);
    if (repaired.ok()) {
      check.repaired = std::move(repaired.address);
    } else {
      check.repaired = std::move(repaired.repaired);
    }
  }
  return check;
}

EmailCheck Check(std::string_view raw, int depth) {
  const std::optional<char32_t> max = MaxCodePoint(raw);
  if (!max) return FromFailure(InvalidUtf8(), depth);
  const std::string_view trimmed = Trim(raw);
  if (trimmed.empty()) {
    return FromFailure(Fail(EmailProblem::kEmpty,
                            "The email address is empty. Enter the person's address, such as "
                            "name@company.com."),
                       depth);
  }
  std::optional<std::string> text = Nfc(trimmed, *max);
  if (!text) return FromFailure(InvalidUtf8(), depth);
  EmailCheck check;
  if (Finding failure = Analyze(*text, *max, check.key)) {
    return FromFailure(std::move(*failure), depth);
  }
  check.address = std::move(*text);
  return check;
}

}  // namespace

std::string_view EmailProblemName(EmailProblem problem) {
  switch (problem) {
    case EmailProblem::kNone: return "none";
    case EmailProblem::kEmpty: return "empty";
    case EmailProblem::kInvalidUtf8: return "invalid_utf8";
    case EmailProblem::kMailtoPrefix: return "mailto_prefix";
    case EmailProblem::kDisplayName: return "display_name";
    case EmailProblem::kWhitespace: return "whitespace";
    case EmailProblem::kMissingAt: return "missing_at";
    case EmailProblem::kMultipleAt: return "multiple_at";
    case EmailProblem::kEmptyLocalPart: return "empty_local_part";
    case EmailProblem::kEmptyDomain: return "empty_domain";
    case EmailProblem::kLeadingDot: return "leading_dot";
    case EmailProblem::kTrailingDot: return "trailing_dot";
    case EmailProblem::kConsecutiveDots: return "consecutive_dots";
    case EmailProblem::kInvalidCharacter: return "invalid_character";
    case EmailProblem::kUnclosedQuote: return "unclosed_quote";
    case EmailProblem::kInvalidDomainLabel: return "invalid_domain_label";
    case EmailProblem::kDomainWithoutDot: return "domain_without_dot";
    case EmailProblem::kLocalPartTooLong: return "local_part_too_long";
    case EmailProblem::kDomainTooLong: return "domain_too_long";
    case EmailProblem::kAddressTooLong: return "address_too_long";
  }
  return "unknown";
}

EmailCheck CheckEmail(std::string_view raw) { return Check(raw, 0); }

std::optional<std::string> EmailKey(std::string_view raw) {
  EmailCheck check = CheckEmail(raw);
  if (!check.ok()) return std::nullopt;
  return std::move(check.key);
}

std::optional<std::string> NormalizeDomain(std::string_view raw) {
  const std::optional<char32_t> max = MaxCodePoint(raw);
  if (!max) return std::nullopt;
  const std::string_view trimmed = Trim(raw);
  if (trimmed.empty()) return std::nullopt;
  std::optional<std::string> text = Nfc(trimmed, *max);
  if (!text) return std::nullopt;
  std::string ascii;
  if (CheckDomain(*text, "", ascii)) return std::nullopt;
  return ascii;
}

std::string_view KeyDomain(std::string_view key) {
  const size_t at = key.rfind('@');
  if (at == std::string_view::npos) return {};
  return key.substr(at + 1);
}

}  // namespace roster
