// read_bench: reads every cell of one sheet with one Roster reader and prints one line of
// figures (rows, cells, seconds, peak RSS) for scripts/bench-read.sh to put into its table.
//   read_bench xlsx|xlsx-1thread|csv FILE
// One reader per process, so that the peak RSS is the reader's own.

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "sheet/xlsx_reader.h"
#if __has_include("sheet/csv_reader.h")
#include "sheet/csv_reader.h"
#define ROSTER_BENCH_HAS_CSV 1
#endif

namespace {

using roster::sheet::Cell;
using roster::sheet::Limits;
using roster::sheet::Row;
using roster::sheet::WorkbookReader;

int Usage() {
  std::fprintf(stderr, "usage: read_bench xlsx|xlsx-1thread|csv FILE\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return Usage();
  const std::string kind = argv[1];
  const std::string path = argv[2];
  const auto start = std::chrono::steady_clock::now();
  roster::Result<std::unique_ptr<WorkbookReader>> reader =
      roster::Status(roster::ErrorCode::kInvalidArgument, "unknown reader " + kind);
  if (kind == "xlsx" || kind == "xlsx-1thread") {
    roster::sheet::XlsxReaderOptions options;
    options.prefetch = kind == "xlsx";
    reader = roster::sheet::OpenXlsx(path, Limits(), "", options);
  } else if (kind == "csv") {
#ifdef ROSTER_BENCH_HAS_CSV
    reader = roster::sheet::OpenCsv(path, Limits(), "bench.csv");
#endif
  } else {
    return Usage();
  }
  if (!reader.ok()) {
    std::fprintf(stderr, "%s\n", reader.status().ToString().c_str());
    return 1;
  }
  int64_t rows = 0;
  int64_t cells = 0;
  int64_t bytes = 0;
  const roster::Status status = (*reader)->ReadRows(0, [&](const Row& row) {
    ++rows;
    for (const Cell& cell : row.cells) {
      cells += cell.type != roster::sheet::CellType::kEmpty;
      bytes += static_cast<int64_t>(cell.text.size());
    }
    return true;
  });
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("rows=%lld cells=%lld text_bytes=%lld seconds=%.3f maxrss_kb=%ld\n",
              static_cast<long long>(rows), static_cast<long long>(cells),
              static_cast<long long>(bytes), seconds, usage.ru_maxrss);
  return 0;
}
