#pragma once

// Reading the OLE2 compound file ([MS-CFB]), the container of .xls, .doc and encrypted .xlsx
// files: the names in its directory, and the bytes of one stream. Every count, chain and size
// is bounded by the file size, so a damaged or hostile file gives a Status, never a crash or
// an endless loop. Stateless functions, thread-safe; each call opens and closes the file.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace roster::sheet {

// The names of the streams and storages in the compound file at `path`, in directory order.
// Fails with kInvalidArgument when the container is damaged.
Result<std::vector<std::string>> ListCompoundFileEntries(const std::string& path,
                                                         const std::string& display_name);

// The bytes of the stream named `name` (compared ASCII case-insensitively) among the children
// of the root storage (streams under 4096 bytes are read from the mini stream). Fails with
// kNotFound when there is no such stream, kResourceExhausted when it holds more than
// `max_bytes`, and kInvalidArgument when the container is damaged.
Result<std::string> ReadCompoundFileStream(const std::string& path, std::string_view name,
                                           uint64_t max_bytes, const std::string& display_name);

}  // namespace roster::sheet
