#pragma once

// CheckingThread: checks the rows of an analysis on a thread of its own while the caller reads
// them, so that reading (parsing the sheet) and checking (addresses, the organization's keys,
// audit hashes) share the two cores; each takes about as long. The thread first runs
// `prepare` (loading the organization's keys, which only the checking needs: at a million
// users it takes about a third as long as reading the file), then `check` for every row in
// order, until `check` returns false. Rows pass in packed batches through a queue of bounded
// size; while it is full, Add() waits.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "core/status.h"
#include "import/packed_rows.h"
#include "sheet/workbook_reader.h"

namespace roster::import {

class CheckingThread {
 public:
  CheckingThread(std::function<Status()> prepare, std::function<bool(const sheet::Row&)> check,
                 size_t max_queued_bytes);
  // Without Finish() (the reading failed): the rows still queued are dropped.
  ~CheckingThread();
  CheckingThread(const CheckingThread&) = delete;
  CheckingThread& operator=(const CheckingThread&) = delete;

  // Queues a row. False once the checking has stopped (`prepare` failed or `check` returned
  // false): reading on is useless then.
  bool Add(const sheet::Row& row);
  // Hands over the last rows, waits until every row is checked (or the checking stopped) and
  // returns `prepare`'s status. Once only.
  Status Finish();
  // How long `prepare` took (valid after Finish).
  double prepare_seconds() const { return prepare_seconds_; }

 private:
  void Run();
  void Hand(PackedRows batch);

  std::function<Status()> prepare_;
  std::function<bool(const sheet::Row&)> check_;
  const size_t max_queued_bytes_;
  PackedRows batch_;  // the reader's, until handed over

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<PackedRows> queue_;
  size_t queued_bytes_ = 0;
  bool input_done_ = false;  // no more batches come
  bool abandoned_ = false;   // drop what is queued
  bool stopped_ = false;     // the checking stopped before the end

  Status prepare_status_;
  double prepare_seconds_ = 0;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace roster::import
