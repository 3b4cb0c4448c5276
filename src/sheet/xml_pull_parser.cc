#include "sheet/xml_pull_parser.h"

#include <algorithm>
#include <cstring>

#include "sheet/advice.h"
#include "sheet/cell_reference.h"

namespace roster::sheet {
namespace {

constexpr size_t kMinReadBytes = size_t{64} << 10;
constexpr size_t kInitialCapacity = size_t{1} << 20;
// Text without a '<' in sight is handed out in pieces of about this size, so a long text never
// grows the window.
constexpr size_t kTextPieceBytes = size_t{64} << 10;
constexpr size_t kLongestReference = 12;  // "&#x0010FFFF;"

constexpr std::string_view kComment = "<!--";
constexpr std::string_view kCdata = "<![CDATA[";
constexpr std::string_view kDoctype = "<!DOCTYPE";

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool EndsName(char c) { return IsSpace(c) || c == '>' || c == '/' || c == '='; }

uint64_t HashName(std::string_view name) {
  uint64_t hash = 14695981039346656037ULL;  // FNV-1a
  for (char c : name) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  }
  return hash;
}

std::string_view LocalName(std::string_view qualified) {
  const size_t colon = qualified.rfind(':');
  return colon == std::string_view::npos ? qualified : qualified.substr(colon + 1);
}

bool IsNameStart(char c) {
  return !(IsSpace(c) || c == '>' || c == '/' || c == '=' || c == '"' || c == '\'' || c == '<' ||
           c == '-' || c == '.' || (c >= '0' && c <= '9'));
}

int64_t CountNewlines(const char* p, size_t n) {
  int64_t count = 0;
  const char* end = p + n;
  while (p < end) {
    const void* found = std::memchr(p, '\n', static_cast<size_t>(end - p));
    if (found == nullptr) break;
    ++count;
    p = static_cast<const char*>(found) + 1;
  }
  return count;
}

// Whether `available` is a proper prefix of `pattern` (more bytes could complete it).
bool CouldBecome(std::string_view available, std::string_view pattern) {
  return available.size() < pattern.size() && pattern.substr(0, available.size()) == available;
}

}  // namespace

XmlPullParser::XmlPullParser(ByteReader& reader, std::string context, size_t max_token_bytes)
    : reader_(reader),
      context_(std::move(context)),
      max_token_bytes_(std::max(max_token_bytes, kTextPieceBytes)),
      buffer_(new char[kInitialCapacity]),
      capacity_(kInitialCapacity) {}

const std::string_view* XmlPullParser::FindAttribute(std::string_view name) const {
  for (const Attribute& attribute : attributes_) {
    if (attribute.name == name) return &attribute.value;
  }
  return nullptr;
}

int64_t XmlPullParser::line() const {
  return lines_before_ + CountNewlines(buffer_.get(), pos_) + 1;
}

Status XmlPullParser::MalformedError(std::string_view reason) const {
  return InvalidArgument(context_ + " is not well-formed XML at line " + FormatCount(line()) +
                         ": " + std::string(reason) + std::string(kSaveAgain));
}

Status XmlPullParser::Fill() {
  if (pos_ > 0) {
    lines_before_ += CountNewlines(buffer_.get(), pos_);
    std::memmove(buffer_.get(), buffer_.get() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (capacity_ - end_ < kMinReadBytes) {
    if (end_ >= max_token_bytes_) {
      return ResourceExhausted(context_ + " has an XML tag, comment or CDATA section longer than " +
                               FormatCount(static_cast<int64_t>(max_token_bytes_)) +
                               " bytes at line " + FormatCount(line()));
    }
    const size_t capacity = std::min(capacity_ * 2, max_token_bytes_ + kMinReadBytes);
    std::unique_ptr<char[]> bigger(new char[capacity]);
    std::memcpy(bigger.get(), buffer_.get(), end_);
    buffer_ = std::move(bigger);
    capacity_ = capacity;
  }
  ROSTER_ASSIGN_OR_RETURN(const size_t n, reader_.Read(buffer_.get() + end_, capacity_ - end_));
  if (n == 0) eof_ = true;
  end_ += n;
  return Status::Ok();
}

Result<XmlPullParser::Token> XmlPullParser::Next() {
  Token token;
  while (true) {
    const size_t available = end_ - pos_;
    if (!started_) {
      if (available < 3 && !eof_) {
        ROSTER_RETURN_IF_ERROR(Fill());
        continue;
      }
      started_ = true;
      const std::string_view head(buffer_.get() + pos_, std::min<size_t>(available, 3));
      if (head == "\xEF\xBB\xBF") {
        pos_ += 3;
      } else if (head.starts_with("\xFE\xFF") || head.starts_with("\xFF\xFE")) {
        return InvalidArgument(context_ +
                               " is XML encoded in UTF-16, which spreadsheet writers do not "
                               "produce; save the file again from the spreadsheet program");
      }
      continue;
    }
    if (available == 0) {
      if (eof_) {
        ROSTER_RETURN_IF_ERROR(AtEnd());
        token.kind = TokenKind::kEnd;
        return token;
      }
      ROSTER_RETURN_IF_ERROR(Fill());
      continue;
    }
    const char* p = buffer_.get() + pos_;
    if (*p != '<') {
      const void* lt = std::memchr(p, '<', available);
      size_t length;
      if (lt != nullptr) {
        length = static_cast<size_t>(static_cast<const char*>(lt) - p);
      } else if (eof_) {
        length = available;
      } else if (available >= kTextPieceBytes) {
        // Never split inside a reference or a CR LF.
        length = available;
        for (size_t k = available; k > available - kLongestReference; --k) {
          if (p[k - 1] == ';') break;
          if (p[k - 1] == '&') {
            length = k - 1;
            break;
          }
        }
        if (p[length - 1] == '\r') --length;
      } else {
        ROSTER_RETURN_IF_ERROR(Fill());
        continue;
      }
      const std::string_view text(p, length);
      if (open_.empty()) {
        if (!std::all_of(text.begin(), text.end(), IsSpace)) {
          return MalformedError("text outside the root element");
        }
        pos_ += length;
        continue;
      }
      pos_ += length;
      token.kind = TokenKind::kText;
      token.text = text;
      return token;
    }
    Status status;
    const Step step = ScanTag(&token, &status);
    if (!status.ok()) return status;
    if (step == Step::kToken) return token;
    if (step == Step::kNeedMore) {
      if (eof_) return MalformedError("the XML ends inside a tag; the part is probably truncated");
      ROSTER_RETURN_IF_ERROR(Fill());
    }
  }
}

XmlPullParser::Step XmlPullParser::ScanTag(Token* token, Status* status) {
  const char* p = buffer_.get() + pos_;
  if (end_ - pos_ < 2) return Step::kNeedMore;
  if (p[1] == '/') return ScanEndTag(token, status);
  if (p[1] == '?' || p[1] == '!') return ScanMarkup(token, status);
  return ScanStartTag(token, status);
}

XmlPullParser::Step XmlPullParser::ScanStartTag(Token* token, Status* status) {
  const char* p = buffer_.get() + pos_;
  const char* end = buffer_.get() + end_;
  const char* q = p + 1;
  if (!IsNameStart(*q)) {
    *status = MalformedError("'<' that does not begin a tag (write it '&lt;')");
    return Step::kToken;
  }
  while (q < end && !EndsName(*q)) ++q;
  if (q == end) return Step::kNeedMore;
  const std::string_view qualified(p + 1, static_cast<size_t>(q - p - 1));
  attributes_.clear();
  bool self_closing = false;
  while (true) {
    const char* before_space = q;
    while (q < end && IsSpace(*q)) ++q;
    if (q == end) return Step::kNeedMore;
    if (*q == '>') {
      ++q;
      break;
    }
    if (*q == '/') {
      if (q + 1 == end) return Step::kNeedMore;
      if (q[1] != '>') {
        *status = MalformedError("'/' inside a tag");
        return Step::kToken;
      }
      q += 2;
      self_closing = true;
      break;
    }
    if (q == before_space || !IsNameStart(*q)) {
      *status = MalformedError("a malformed attribute in <" + std::string(qualified) + ">");
      return Step::kToken;
    }
    const char* name_begin = q;
    while (q < end && !EndsName(*q) && *q != '<' && *q != '"' && *q != '\'') ++q;
    if (q == end) return Step::kNeedMore;
    const std::string_view name(name_begin, static_cast<size_t>(q - name_begin));
    while (q < end && IsSpace(*q)) ++q;
    if (q == end) return Step::kNeedMore;
    if (*q != '=') {
      *status = MalformedError("the attribute '" + std::string(name) + "' has no value");
      return Step::kToken;
    }
    ++q;
    while (q < end && IsSpace(*q)) ++q;
    if (q == end) return Step::kNeedMore;
    const char quote = *q;
    if (quote != '"' && quote != '\'') {
      *status =
          MalformedError("the value of the attribute '" + std::string(name) + "' is not in quotes");
      return Step::kToken;
    }
    ++q;
    const void* closing = std::memchr(q, quote, static_cast<size_t>(end - q));
    if (closing == nullptr) return Step::kNeedMore;
    const std::string_view value(q, static_cast<size_t>(static_cast<const char*>(closing) - q));
    if (value.find('<') != std::string_view::npos) {
      *status = MalformedError("'<' inside the value of the attribute '" + std::string(name) + "'");
      return Step::kToken;
    }
    q = static_cast<const char*>(closing) + 1;
    // Namespace declarations are not data; skipping them keeps "xmlns:r" from reading as "r".
    if (!name.starts_with("xmlns")) attributes_.push_back({LocalName(name), value});
  }
  if (open_.empty() && root_seen_) {
    *status = MalformedError("a second root element <" + std::string(qualified) + ">");
    return Step::kToken;
  }
  if (open_.size() >= kMaxDepth) {
    *status = MalformedError("elements nested deeper than " + std::to_string(kMaxDepth));
    return Step::kToken;
  }
  root_seen_ = true;
  if (!self_closing) open_.push_back(HashName(qualified));
  pos_ = static_cast<size_t>(q - buffer_.get());
  token->kind = TokenKind::kStartTag;
  token->name = LocalName(qualified);
  token->self_closing = self_closing;
  return Step::kToken;
}

XmlPullParser::Step XmlPullParser::ScanEndTag(Token* token, Status* status) {
  const char* p = buffer_.get() + pos_;
  const void* gt = std::memchr(p + 2, '>', end_ - pos_ - 2);
  if (gt == nullptr) return Step::kNeedMore;
  std::string_view qualified(p + 2, static_cast<size_t>(static_cast<const char*>(gt) - p - 2));
  while (!qualified.empty() && IsSpace(qualified.back())) qualified.remove_suffix(1);
  if (qualified.empty() || !IsNameStart(qualified[0]) ||
      std::any_of(qualified.begin(), qualified.end(), EndsName)) {
    *status = MalformedError("a malformed end tag");
    return Step::kToken;
  }
  if (open_.empty() || open_.back() != HashName(qualified)) {
    *status = MalformedError("the end tag </" + std::string(qualified) +
                             "> does not match the open element");
    return Step::kToken;
  }
  open_.pop_back();
  pos_ = static_cast<size_t>(static_cast<const char*>(gt) - buffer_.get()) + 1;
  token->kind = TokenKind::kEndTag;
  token->name = LocalName(qualified);
  return Step::kToken;
}

XmlPullParser::Step XmlPullParser::ScanMarkup(Token* token, Status* status) {
  const std::string_view window(buffer_.get() + pos_, end_ - pos_);
  auto skip_to = [&](std::string_view terminator, size_t from) -> size_t {
    return window.find(terminator, from);
  };
  if (window[1] == '?') {
    const size_t close = skip_to("?>", 2);
    if (close == std::string_view::npos) return Step::kNeedMore;
    pos_ += close + 2;
    return Step::kSkipped;
  }
  if (window.starts_with(kComment)) {
    const size_t close = skip_to("-->", kComment.size());
    if (close == std::string_view::npos) return Step::kNeedMore;
    pos_ += close + 3;
    return Step::kSkipped;
  }
  if (window.starts_with(kCdata)) {
    if (open_.empty()) {
      *status = MalformedError("a CDATA section outside the root element");
      return Step::kToken;
    }
    const size_t close = skip_to("]]>", kCdata.size());
    if (close == std::string_view::npos) return Step::kNeedMore;
    token->kind = TokenKind::kText;
    token->text = window.substr(kCdata.size(), close - kCdata.size());
    token->cdata = true;
    pos_ += close + 3;
    return Step::kToken;
  }
  if (window.starts_with(kDoctype)) {
    *status = InvalidArgument(context_ +
                              " contains a DOCTYPE, which spreadsheets never do; the file is "
                              "refused (it could define entities that expand without bound or "
                              "read other files)" +
                              std::string(kSaveAgain));
    return Step::kToken;
  }
  if (CouldBecome(window, kComment) || CouldBecome(window, kCdata) ||
      CouldBecome(window, kDoctype)) {
    return Step::kNeedMore;
  }
  *status = MalformedError("an unexpected '<!'");
  return Step::kToken;
}

Status XmlPullParser::AtEnd() {
  if (!open_.empty()) {
    return MalformedError(
        "the XML ends before its elements are closed; the part is probably truncated");
  }
  if (!root_seen_) return MalformedError("the part has no XML element");
  return Status::Ok();
}

}  // namespace roster::sheet
