#include "sheet/csv_dialect.h"

#include <cstdint>
#include <map>
#include <vector>

namespace roster::sheet {
namespace {

constexpr size_t kRecordsToSniff = 50;

// The column count of each non-empty record in `sample` under `delimiter`.
std::vector<int64_t> CountColumns(std::string_view sample, char delimiter,
                                  bool sample_is_complete) {
  std::vector<int64_t> counts;
  int64_t columns = 1;
  bool in_quotes = false;
  bool record_empty = true;
  size_t i = 0;
  auto end_record = [&] {
    if (!record_empty) counts.push_back(columns);
    columns = 1;
    record_empty = true;
  };
  for (; i < sample.size() && counts.size() < kRecordsToSniff; ++i) {
    const char c = sample[i];
    if (in_quotes) {
      if (c == '"') in_quotes = false;  // a doubled quote re-opens at once: same effect
      continue;
    }
    if (c == '"') {
      in_quotes = true;
      record_empty = false;
    } else if (c == delimiter) {
      ++columns;
      record_empty = false;
    } else if (c == '\n' || c == '\r') {
      end_record();
    } else {
      record_empty = false;
    }
  }
  if (i == sample.size() && sample_is_complete && !in_quotes) end_record();
  return counts;
}

}  // namespace

char SniffCsvDelimiter(std::string_view sample, bool sample_is_complete) {
  char best = ',';
  size_t best_score = 0;
  int64_t best_columns = 0;
  for (const char delimiter : kCsvDelimiters) {
    const std::vector<int64_t> counts = CountColumns(sample, delimiter, sample_is_complete);
    // The most frequent column count above 1 (the larger one on equal frequency).
    std::map<int64_t, size_t> frequency;
    for (const int64_t count : counts) {
      if (count > 1) ++frequency[count];
    }
    for (const auto& [columns, score] : frequency) {
      if (score > best_score || (score == best_score && columns > best_columns)) {
        best = delimiter;
        best_score = score;
        best_columns = columns;
      }
    }
  }
  return best;
}

}  // namespace roster::sheet
