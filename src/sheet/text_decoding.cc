#include "sheet/text_decoding.h"

#include <array>
#include <cstring>

namespace roster::sheet {
namespace {

constexpr char32_t kReplacementCharacter = 0xFFFD;

// Windows-1252 bytes 0x80..0x9F; 0 marks the five bytes the code page leaves undefined.
constexpr std::array<char16_t, 32> kWindows1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

// True when all 8 bytes at `p` are ASCII.
inline bool AllAscii8(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return (word & 0x8080808080808080ULL) == 0;
}

}  // namespace

std::string_view TextEncodingName(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kUtf8: return "UTF-8";
    case TextEncoding::kUtf8Bom: return "UTF-8 with BOM";
    case TextEncoding::kUtf16Le: return "UTF-16LE";
    case TextEncoding::kUtf16Be: return "UTF-16BE";
    case TextEncoding::kWindows1252: return "Windows-1252";
  }
  return "UTF-8";
}

std::optional<ByteOrderMark> DetectByteOrderMark(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) return ByteOrderMark{TextEncoding::kUtf8Bom, 3};
  if (head.starts_with("\xFF\xFE")) return ByteOrderMark{TextEncoding::kUtf16Le, 2};
  if (head.starts_with("\xFE\xFF")) return ByteOrderMark{TextEncoding::kUtf16Be, 2};
  return std::nullopt;
}

std::optional<TextEncoding> DetectUtf16WithoutBom(std::string_view head) {
  constexpr size_t kUnitsToCheck = 256;
  const size_t units = std::min(head.size() / 2, kUnitsToCheck);
  if (units < 2) return std::nullopt;
  size_t le = 0;
  size_t be = 0;
  for (size_t i = 0; i < units; ++i) {
    const auto first = static_cast<unsigned char>(head[2 * i]);
    const auto second = static_cast<unsigned char>(head[2 * i + 1]);
    if (first != 0 && second == 0) ++le;
    if (first == 0 && second != 0) ++be;
  }
  if (le * 10 >= units * 9) return TextEncoding::kUtf16Le;
  if (be * 10 >= units * 9) return TextEncoding::kUtf16Be;
  return std::nullopt;
}

bool Utf8Validator::Feed(std::string_view chunk) {
  const char* p = chunk.data();
  const char* const end = p + chunk.size();
  while (p < end) {
    if (pending_ == 0) {
      while (end - p >= 8 && AllAscii8(p)) p += 8;
      if (p == end) break;
      const auto byte = static_cast<unsigned char>(*p++);
      if (byte < 0x80) continue;
      next_low_ = 0x80;
      next_high_ = 0xBF;
      if (byte >= 0xC2 && byte <= 0xDF) {
        pending_ = 1;
      } else if (byte >= 0xE0 && byte <= 0xEF) {
        pending_ = 2;
        if (byte == 0xE0) next_low_ = 0xA0;
        if (byte == 0xED) next_high_ = 0x9F;
      } else if (byte >= 0xF0 && byte <= 0xF4) {
        pending_ = 3;
        if (byte == 0xF0) next_low_ = 0x90;
        if (byte == 0xF4) next_high_ = 0x8F;
      } else {
        return false;
      }
      continue;
    }
    const auto byte = static_cast<unsigned char>(*p++);
    if (byte < next_low_ || byte > next_high_) return false;
    next_low_ = 0x80;
    next_high_ = 0xBF;
    --pending_;
  }
  return true;
}

void AppendUtf8(char32_t code_point, std::string& out) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

int64_t CountUtf8CodePoints(std::string_view text) {
  int64_t count = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

bool TextDecoder::Decode(std::string_view chunk, std::string& out) {
  switch (encoding_) {
    case TextEncoding::kUtf8:
    case TextEncoding::kUtf8Bom: out.append(chunk); break;
    case TextEncoding::kWindows1252: {
      const char* p = chunk.data();
      const char* const end = p + chunk.size();
      while (p < end) {
        const char* run = p;
        while (end - p >= 8 && AllAscii8(p)) p += 8;
        while (p < end && static_cast<unsigned char>(*p) < 0x80) ++p;
        out.append(run, p);
        if (p == end) break;
        const auto byte = static_cast<unsigned char>(*p++);
        char32_t code_point = byte;
        if (byte < 0xA0) {
          code_point = kWindows1252High[byte - 0x80];
          if (code_point == 0) code_point = kReplacementCharacter;
        }
        AppendUtf8(code_point, out);
      }
      break;
    }
    case TextEncoding::kUtf16Le:
      if (!DecodeUtf16(chunk, out, /*big_endian=*/false)) return false;
      break;
    case TextEncoding::kUtf16Be:
      if (!DecodeUtf16(chunk, out, /*big_endian=*/true)) return false;
      break;
  }
  consumed_ += static_cast<int64_t>(chunk.size());
  return true;
}

bool TextDecoder::DecodeUtf16(std::string_view chunk, std::string& out, bool big_endian) {
  size_t i = 0;
  auto next_unit = [&](unsigned char a, unsigned char b) -> uint16_t {
    return big_endian ? static_cast<uint16_t>(a << 8 | b) : static_cast<uint16_t>(b << 8 | a);
  };
  auto take = [&](uint16_t unit, size_t offset_in_chunk) -> bool {
    if (high_surrogate_ != 0) {
      if (unit < 0xDC00 || unit > 0xDFFF) {
        error_offset_ = consumed_ + static_cast<int64_t>(offset_in_chunk);
        return false;
      }
      const char32_t code_point =
          0x10000 + ((static_cast<char32_t>(high_surrogate_) - 0xD800) << 10) + (unit - 0xDC00);
      high_surrogate_ = 0;
      AppendUtf8(code_point, out);
      return true;
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      high_surrogate_ = unit;
      return true;
    }
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
      error_offset_ = consumed_ + static_cast<int64_t>(offset_in_chunk);
      return false;
    }
    AppendUtf8(unit, out);
    return true;
  };
  if (has_odd_byte_ && !chunk.empty()) {
    has_odd_byte_ = false;
    if (!take(next_unit(odd_byte_, static_cast<unsigned char>(chunk[0])), 0)) return false;
    i = 1;
  }
  for (; i + 1 < chunk.size(); i += 2) {
    const auto a = static_cast<unsigned char>(chunk[i]);
    const auto b = static_cast<unsigned char>(chunk[i + 1]);
    const uint16_t unit = next_unit(a, b);
    if (unit < 0x80 && high_surrogate_ == 0) {
      out.push_back(static_cast<char>(unit));
      continue;
    }
    if (!take(unit, i)) return false;
  }
  if (i < chunk.size()) {
    has_odd_byte_ = true;
    odd_byte_ = static_cast<unsigned char>(chunk[i]);
  }
  return true;
}

}  // namespace roster::sheet
