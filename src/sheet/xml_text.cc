#include "sheet/xml_text.h"

#include <cstring>

namespace roster::sheet {
namespace {

constexpr uint32_t kReplacementCharacter = 0xFFFD;
constexpr size_t kMaxReferenceLength = 12;  // "&#x0010FFFF;" and some slack

void AppendUtf8(uint32_t code_point, std::string* out) {
  if (code_point < 0x80) {
    out->push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

bool IsXmlChar(uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses the reference body between '&' and ';'.
bool DecodeReference(std::string_view body, std::string* out) {
  if (body == "amp") {
    out->push_back('&');
  } else if (body == "lt") {
    out->push_back('<');
  } else if (body == "gt") {
    out->push_back('>');
  } else if (body == "quot") {
    out->push_back('"');
  } else if (body == "apos") {
    out->push_back('\'');
  } else if (body.size() >= 2 && body[0] == '#') {
    uint32_t value = 0;
    const bool hex = body[1] == 'x';
    const std::string_view digits = body.substr(hex ? 2 : 1);
    if (digits.empty()) return false;
    for (char c : digits) {
      const int digit = hex ? HexValue(c) : (c >= '0' && c <= '9' ? c - '0' : -1);
      if (digit < 0) return false;
      value = value * (hex ? 16 : 10) + static_cast<uint32_t>(digit);
      if (value > 0x10FFFF) return false;
    }
    if (!IsXmlChar(value)) return false;
    AppendUtf8(value, out);
  } else {
    return false;
  }
  return true;
}

// _xHHHH_ at `text[i]`: returns the value, or -1.
int32_t EscapeAt(const std::string& text, size_t i) {
  constexpr size_t kEscapeLength = 7;
  if (i + kEscapeLength > text.size() || text[i] != '_' || text[i + 1] != 'x' ||
      text[i + 6] != '_') {
    return -1;
  }
  int32_t value = 0;
  for (size_t k = 2; k < 6; ++k) {
    const int digit = HexValue(text[i + k]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

}  // namespace

bool AppendXmlText(std::string_view raw, std::string* out, std::string* error) {
  while (!raw.empty()) {
    size_t special = 0;
    while (special < raw.size() && raw[special] != '&' && raw[special] != '\r') ++special;
    out->append(raw.data(), special);
    raw.remove_prefix(special);
    if (raw.empty()) break;
    if (raw[0] == '\r') {  // XML end-of-line handling: CR LF and CR become LF
      out->push_back('\n');
      raw.remove_prefix(raw.size() > 1 && raw[1] == '\n' ? 2 : 1);
      continue;
    }
    const size_t semicolon = raw.substr(0, kMaxReferenceLength).find(';');
    if (semicolon == std::string_view::npos) {
      *error = "'" + std::string(raw.substr(0, std::min<size_t>(raw.size(), 8))) +
               "' is an unterminated reference (a bare '&' must be written '&amp;')";
      return false;
    }
    const std::string_view body = raw.substr(1, semicolon - 1);
    if (!DecodeReference(body, out)) {
      *error = "'&" + std::string(body) +
               ";' is not one of XML's references (a spreadsheet has no DTD that could "
               "define it)";
      return false;
    }
    raw.remove_prefix(semicolon + 1);
  }
  return true;
}

void DecodeOoxmlEscapes(std::string* text) {
  size_t read = text->find("_x");
  if (read == std::string::npos) return;
  std::string out(*text, 0, read);
  while (read < text->size()) {
    const int32_t value = (*text)[read] == '_' ? EscapeAt(*text, read) : -1;
    if (value < 0) {
      out.push_back((*text)[read++]);
      continue;
    }
    read += 7;
    uint32_t code_point = static_cast<uint32_t>(value);
    if (code_point >= 0xD800 && code_point <= 0xDBFF) {
      const int32_t low = EscapeAt(*text, read);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        code_point =
            0x10000 + ((code_point - 0xD800) << 10) + (static_cast<uint32_t>(low) - 0xDC00);
        read += 7;
      } else {
        code_point = kReplacementCharacter;
      }
    } else if (code_point >= 0xDC00 && code_point <= 0xDFFF) {
      code_point = kReplacementCharacter;
    }
    AppendUtf8(code_point, &out);
  }
  text->swap(out);
}

bool IsValidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char* end = p + text.size();
  while (p < end) {
    // Eight ASCII bytes at a time: the common case.
    if (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        p += 8;
        continue;
      }
    }
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    size_t length;
    uint32_t min;
    uint32_t value;
    if ((c & 0xE0) == 0xC0) {
      length = 2, min = 0x80, value = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3, min = 0x800, value = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4, min = 0x10000, value = c & 0x07;
    } else {
      return false;
    }
    if (static_cast<size_t>(end - p) < length) return false;
    for (size_t k = 1; k < length; ++k) {
      if ((p[k] & 0xC0) != 0x80) return false;
      value = (value << 6) | (p[k] & 0x3F);
    }
    if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return false;
    p += length;
  }
  return true;
}

int64_t CountUtf8Chars(std::string_view text) {
  int64_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

}  // namespace roster::sheet
