#pragma once

// Limits: the bounds every reader enforces while it streams (DESIGN.md section 7), so that a
// hostile or gigantic file is refused within fixed memory and time.

#include <cstdint>

namespace roster::sheet {

struct Limits {
  int64_t max_file_bytes = int64_t{100} << 20;            // upload size: 100 MiB
  int64_t max_rows = 2'000'000;                           // data rows in one sheet
  int64_t max_columns = 16'384;                           // Excel's own limit (XFD)
  int64_t max_cell_chars = 32'767;                        // Excel's own limit per cell
  int64_t max_inflated_bytes = int64_t{1} << 30;          // one zip member, decompressed: 1 GiB
  int64_t max_inflate_ratio = 100;                        // decompressed / compressed per member
  int64_t max_shared_strings_bytes = int64_t{512} << 20;  // the table kept in memory
};

}  // namespace roster::sheet
