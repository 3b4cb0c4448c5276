#pragma once

// XmlPullParser: a small streaming XML tokenizer for the big parts of a workbook (worksheets
// and shared strings), where a general parser is several times too slow (see bench/README.md).
// It is written for hostile input: a pure function of the bytes it reads, bounded memory (a
// window of at most `max_token_bytes` plus one read), no recursion, and it checks what matters
// for safety and for reading right: tags and attributes are well-formed, end tags match start
// tags, there is one root element, and a DOCTYPE is refused outright ("spreadsheets never
// have one"), so no entity beyond XML's five and character references can ever exist.
// Element and attribute names are reported without their namespace prefix ("x:row" -> "row"),
// because writers choose prefixes freely; text and attribute values are reported raw (decode
// them with AppendXmlText when they matter, so skipped text costs nothing).
//
// Text may be delivered in several pieces, never split inside a reference or a CR LF.
// A parser is used from one thread; `reader` must outlive it. Token views stay valid until
// the next call to Next().

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "sheet/byte_reader.h"

namespace roster::sheet {

class XmlPullParser {
 public:
  enum class TokenKind {
    kStartTag,  // `name`, attributes(); `self_closing` for <c/>, which has no kEndTag
    kEndTag,    // `name`
    kText,      // `text`, raw (references not decoded), or CDATA content (`cdata`)
    kEnd,       // the document ended, well-formed
  };

  struct Token {
    TokenKind kind = TokenKind::kEnd;
    std::string_view name;  // local name, without prefix
    std::string_view text;
    bool self_closing = false;
    bool cdata = false;
  };

  struct Attribute {
    std::string_view name;   // local name, without prefix
    std::string_view value;  // raw, between the quotes
  };

  static constexpr size_t kDefaultMaxTokenBytes = size_t{1} << 20;
  static constexpr size_t kMaxDepth = 256;

  // `context` begins every message: "staff.xlsx: the sheet 'Sheet1' (xl/worksheets/...)".
  XmlPullParser(ByteReader& reader, std::string context,
                size_t max_token_bytes = kDefaultMaxTokenBytes);

  // The next token. Errors: the reader's own, kInvalidArgument for malformed XML and a
  // DOCTYPE, kResourceExhausted for a tag, comment or CDATA section over max_token_bytes.
  Result<Token> Next();

  // The attributes of the last start tag.
  const std::vector<Attribute>& attributes() const { return attributes_; }

  // The value of the last start tag's attribute `name` (local name), or nullptr.
  const std::string_view* FindAttribute(std::string_view name) const;

  // The 1-based line of the current position, for messages.
  int64_t line() const;

  // context + " is not well-formed XML at line N: " + reason.
  Status MalformedError(std::string_view reason) const;

  const std::string& context() const { return context_; }

  // Fast paths. The unread bytes of the window (possibly few or none) between tokens. A caller
  // that recognizes a complete, balanced construct there (a whole <c>...</c>) may consume it
  // with Skip instead of token by token; whatever it does not recognize completely it leaves
  // to Next(), which checks everything. Views die with the next Next() or Skip().
  std::string_view Window() const { return std::string_view(buffer_.get() + pos_, end_ - pos_); }
  void Skip(size_t bytes) { pos_ += bytes; }

 private:
  enum class Step { kToken, kNeedMore, kSkipped };

  Status Fill();
  Step ScanTag(Token* token, Status* status);
  Step ScanStartTag(Token* token, Status* status);
  Step ScanEndTag(Token* token, Status* status);
  Step ScanMarkup(Token* token, Status* status);
  Status AtEnd();

  ByteReader& reader_;
  std::string context_;
  size_t max_token_bytes_;
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;
  size_t pos_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  bool started_ = false;
  bool root_seen_ = false;
  int64_t lines_before_ = 0;    // newlines in the bytes already dropped from the window
  std::vector<uint64_t> open_;  // hashes of the open elements' qualified names
  std::vector<Attribute> attributes_;
};

}  // namespace roster::sheet
