#pragma once

// ExpatParser: streams a small or moderate XML part (workbook, relationships, styles, an ods
// content.xml) through expat into an XmlHandler. It refuses a DOCTYPE outright, so no entity
// beyond XML's five and character references is ever expanded and no external entity is ever
// resolved. Names reach the handler without namespace prefix ("x:sheet" -> "sheet"), and
// namespace declarations are not reported as attributes. Used from one thread at a time.

#include <string>
#include <string_view>

#include "core/result.h"
#include "sheet/byte_reader.h"

namespace roster::sheet {

// The attributes of one start tag, as expat hands them over (name, value, ..., nullptr).
class XmlAttributes {
 public:
  explicit XmlAttributes(const char** pairs) : pairs_(pairs) {}

  // The value of the attribute with local name `name`, or nullptr.
  const char* Find(std::string_view name) const;

  // The value of the attribute with exactly this qualified name ("office:value-type"), or
  // nullptr. For formats whose attributes differ only by prefix (ODF's office:value-type and
  // calcext:value-type), read with the prefixes their writers all use.
  const char* FindQualified(std::string_view qualified) const;

 private:
  const char** pairs_;
};

class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  // A failing Status stops parsing and is what ExpatParser::Parse returns.
  virtual Status OnStart(std::string_view name, const XmlAttributes& attributes) = 0;
  virtual Status OnEnd(std::string_view name) = 0;
  // Decoded character data, possibly in several pieces.
  virtual Status OnText(std::string_view text) = 0;

  // Whether the handler has all it wants; parsing then stops without error.
  bool stop_requested() const { return stop_requested_; }

 protected:
  void RequestStop() { stop_requested_ = true; }

 private:
  bool stop_requested_ = false;
};

class ExpatParser {
 public:
  // Parses everything `reader` yields. `context` begins every message ("staff.xlsx: the
  // workbook (xl/workbook.xml)"). Errors: the reader's, the handler's, kInvalidArgument for
  // malformed XML and a DOCTYPE.
  static Status Parse(ByteReader& reader, const std::string& context, XmlHandler& handler);
};

// "x:sheet" -> "sheet".
std::string_view LocalXmlName(std::string_view qualified);

}  // namespace roster::sheet
