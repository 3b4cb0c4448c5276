#include "sheet/expat_parser.h"

#include <expat.h>

#include <cstring>

#include "sheet/advice.h"
#include "sheet/cell_reference.h"

namespace roster::sheet {
namespace {

constexpr int kReadBytes = 64 << 10;

struct ParseState {
  XML_Parser parser = nullptr;
  XmlHandler* handler = nullptr;
  Status status;
  bool doctype = false;
};

void Stop(ParseState* state, Status status) {
  if (state->status.ok()) state->status = std::move(status);
  XML_StopParser(state->parser, XML_FALSE);
}

void After(ParseState* state, Status status) {
  if (!status.ok()) {
    Stop(state, std::move(status));
  } else if (state->handler->stop_requested()) {
    XML_StopParser(state->parser, XML_FALSE);
  }
}

void XMLCALL OnStart(void* data, const XML_Char* name, const XML_Char** attributes) {
  auto* state = static_cast<ParseState*>(data);
  After(state, state->handler->OnStart(LocalXmlName(name), XmlAttributes(attributes)));
}

void XMLCALL OnEnd(void* data, const XML_Char* name) {
  auto* state = static_cast<ParseState*>(data);
  After(state, state->handler->OnEnd(LocalXmlName(name)));
}

void XMLCALL OnText(void* data, const XML_Char* text, int length) {
  auto* state = static_cast<ParseState*>(data);
  After(state, state->handler->OnText(std::string_view(text, static_cast<size_t>(length))));
}

void XMLCALL OnDoctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  auto* state = static_cast<ParseState*>(data);
  state->doctype = true;
  XML_StopParser(state->parser, XML_FALSE);
}

}  // namespace

std::string_view LocalXmlName(std::string_view qualified) {
  const size_t colon = qualified.rfind(':');
  return colon == std::string_view::npos ? qualified : qualified.substr(colon + 1);
}

const char* XmlAttributes::Find(std::string_view name) const {
  for (const char** pair = pairs_; pair[0] != nullptr; pair += 2) {
    const std::string_view qualified = pair[0];
    if (qualified.starts_with("xmlns")) continue;
    if (LocalXmlName(qualified) == name) return pair[1];
  }
  return nullptr;
}

const char* XmlAttributes::FindQualified(std::string_view qualified) const {
  for (const char** pair = pairs_; pair[0] != nullptr; pair += 2) {
    if (qualified == pair[0]) return pair[1];
  }
  return nullptr;
}

Status ExpatParser::Parse(ByteReader& reader, const std::string& context, XmlHandler& handler) {
  XML_Parser parser = XML_ParserCreate(nullptr);
  if (parser == nullptr) return Internal(context + ": cannot create an XML parser");
  ParseState state;
  state.parser = parser;
  state.handler = &handler;
  XML_SetUserData(parser, &state);
  XML_SetElementHandler(parser, OnStart, OnEnd);
  XML_SetCharacterDataHandler(parser, OnText);
  XML_SetStartDoctypeDeclHandler(parser, OnDoctype);
  XML_SetParamEntityParsing(parser, XML_PARAM_ENTITY_PARSING_NEVER);

  Status result;
  while (true) {
    void* buffer = XML_GetBuffer(parser, kReadBytes);
    if (buffer == nullptr) {
      result = ResourceExhausted(context + ": out of memory while parsing XML");
      break;
    }
    Result<size_t> n = reader.Read(static_cast<char*>(buffer), kReadBytes);
    if (!n.ok()) {
      result = n.status();
      break;
    }
    const bool last = *n == 0;
    if (XML_ParseBuffer(parser, static_cast<int>(*n), last) == XML_STATUS_ERROR) {
      if (state.doctype) {
        result = InvalidArgument(context +
                                 " contains a DOCTYPE, which spreadsheets never do; the file is "
                                 "refused (it could define entities that expand without bound "
                                 "or read other files)" +
                                 std::string(kSaveAgain));
      } else if (!state.status.ok()) {
        result = state.status;
      } else if (XML_GetErrorCode(parser) == XML_ERROR_ABORTED) {
        result = Status::Ok();  // the handler asked to stop
      } else {
        result = InvalidArgument(
            context + " is not well-formed XML at line " +
            FormatCount(static_cast<int64_t>(XML_GetCurrentLineNumber(parser))) + ": " +
            XML_ErrorString(XML_GetErrorCode(parser)) + std::string(kSaveAgain));
      }
      break;
    }
    if (last) break;
  }
  XML_ParserFree(parser);
  return result;
}

}  // namespace roster::sheet
