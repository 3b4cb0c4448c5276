#include "sheet/shared_strings.h"

#include <algorithm>
#include <cstring>

#include "sheet/cell_reference.h"
#include "sheet/xml_pull_parser.h"
#include "sheet/xml_text.h"

namespace roster::sheet {
namespace {

constexpr size_t kBlockBytes = size_t{1} << 20;
constexpr int64_t kBytesPerEntry = static_cast<int64_t>(sizeof(std::string_view));
// Text beyond this many bytes per string is counted, not kept: it is refused anyway.
constexpr int64_t kMaxUtf8BytesPerChar = 4;

}  // namespace

int64_t SharedStrings::OverlongChars(size_t index) const {
  if (overlong_.empty()) return 0;
  const auto found = overlong_.find(index);
  return found == overlong_.end() ? 0 : found->second;
}

std::string_view SharedStrings::Store(std::string_view text) {
  if (text.empty()) return {};
  if (text.size() > block_size_ - block_used_) {
    block_size_ = std::max(kBlockBytes, text.size());
    blocks_.emplace_back(new char[block_size_]);
    block_used_ = 0;
  }
  char* destination = blocks_.back().get() + block_used_;
  std::memcpy(destination, text.data(), text.size());
  block_used_ += text.size();
  return std::string_view(destination, text.size());
}

Status SharedStrings::Add(std::string_view text) {
  bytes_ += static_cast<int64_t>(text.size()) + kBytesPerEntry;
  if (bytes_ > limits_.max_shared_strings_bytes) {
    return ResourceExhausted(context_ + " need more than " +
                             FormatCount(limits_.max_shared_strings_bytes) +
                             " bytes of memory; the file is too large to read");
  }
  if (static_cast<int64_t>(text.size()) > limits_.max_cell_chars) {
    const int64_t chars = CountUtf8Chars(text);
    if (chars > limits_.max_cell_chars) {
      overlong_[strings_.size()] = chars;
      strings_.emplace_back();
      return Status::Ok();
    }
  }
  strings_.push_back(Store(text));
  return Status::Ok();
}

Status SharedStrings::Load(ByteReader& reader, const std::string& context, const Limits& limits) {
  limits_ = limits;
  context_ = context;
  XmlPullParser parser(reader, context);
  const int64_t max_kept_bytes = limits.max_cell_chars * kMaxUtf8BytesPerChar + 1;
  std::string current;
  std::string error;
  int64_t dropped_chars = 0;  // of the current string, beyond max_kept_bytes
  bool in_string = false;
  bool in_text = false;
  int phonetic_depth = 0;
  auto finish = [&]() -> Status {
    if (dropped_chars > 0) {
      bytes_ += kBytesPerEntry;
      overlong_[strings_.size()] = CountUtf8Chars(current) + dropped_chars;
      strings_.emplace_back();
      return Status::Ok();
    }
    DecodeOoxmlEscapes(&current);
    if (!IsValidUtf8(current)) {
      return InvalidArgument(context + ": shared string " +
                             FormatCount(static_cast<int64_t>(strings_.size())) +
                             " is not valid UTF-8 (near line " + FormatCount(parser.line()) + ")");
    }
    return Add(current);
  };
  while (true) {
    // The fast path: whole <si><t>text</t></si> items, as most writers make them, straight
    // from the parser's window; anything else goes token by token.
    while (!in_string) {
      constexpr std::string_view kOpen = "<si><t>";
      constexpr std::string_view kOpenPreserve = "<si><t xml:space=\"preserve\">";
      constexpr std::string_view kClose = "</t></si>";
      const std::string_view window = parser.Window();
      size_t begin;
      if (window.starts_with(kOpen)) {
        begin = kOpen.size();
      } else if (window.starts_with(kOpenPreserve)) {
        begin = kOpenPreserve.size();
      } else {
        break;
      }
      const size_t lt = window.find('<', begin);
      if (lt == std::string_view::npos || window.substr(lt, kClose.size()) != kClose ||
          static_cast<int64_t>(lt - begin) > max_kept_bytes) {
        break;
      }
      current.clear();
      dropped_chars = 0;
      if (!AppendXmlText(window.substr(begin, lt - begin), &current, &error)) {
        return parser.MalformedError(error);
      }
      ROSTER_RETURN_IF_ERROR(finish());
      parser.Skip(lt + kClose.size());
    }
    ROSTER_ASSIGN_OR_RETURN(const XmlPullParser::Token token, parser.Next());
    switch (token.kind) {
      case XmlPullParser::TokenKind::kStartTag:
        if (token.name == "si") {
          if (token.self_closing) {
            ROSTER_RETURN_IF_ERROR(Add(""));
            break;
          }
          in_string = true;
          current.clear();
          dropped_chars = 0;
          phonetic_depth = 0;
        } else if (in_string && token.name == "rPh") {
          phonetic_depth += token.self_closing ? 0 : 1;
        } else if (in_string && token.name == "t" && phonetic_depth == 0) {
          in_text = !token.self_closing;
        }
        break;
      case XmlPullParser::TokenKind::kEndTag:
        if (token.name == "t") {
          in_text = false;
        } else if (token.name == "rPh") {
          phonetic_depth = std::max(0, phonetic_depth - 1);
        } else if (token.name == "si" && in_string) {
          in_string = false;
          ROSTER_RETURN_IF_ERROR(finish());
        }
        break;
      case XmlPullParser::TokenKind::kText:
        if (!in_text) break;
        if (static_cast<int64_t>(current.size()) > max_kept_bytes) {
          dropped_chars += CountUtf8Chars(token.text);  // references count roughly; refused anyway
          break;
        }
        if (token.cdata) {
          current.append(token.text);
        } else if (!AppendXmlText(token.text, &current, &error)) {
          return parser.MalformedError(error);
        }
        break;
      case XmlPullParser::TokenKind::kEnd: return Status::Ok();
    }
  }
}

}  // namespace roster::sheet
