#include "import/checking_thread.h"

#include <chrono>
#include <utility>

namespace roster::import {
namespace {

// Rows per batch: large enough that handing a batch over costs nothing next to checking it.
constexpr size_t kBatchRows = 4096;

}  // namespace

CheckingThread::CheckingThread(std::function<Status()> prepare,
                               std::function<bool(const sheet::Row&)> check,
                               size_t max_queued_bytes)
    : prepare_(std::move(prepare)),
      check_(std::move(check)),
      max_queued_bytes_(max_queued_bytes),
      thread_([this] { Run(); }) {}

CheckingThread::~CheckingThread() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    input_done_ = true;
    abandoned_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

bool CheckingThread::Add(const sheet::Row& row) {
  batch_.Add(row);
  if (batch_.rows() >= kBatchRows) Hand(std::exchange(batch_, PackedRows()));
  std::lock_guard lock(mutex_);
  return !stopped_;
}

void CheckingThread::Hand(PackedRows batch) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return stopped_ || queued_bytes_ < max_queued_bytes_; });
  if (stopped_) return;
  queued_bytes_ += batch.bytes();
  queue_.push_back(std::move(batch));
  changed_.notify_all();
}

Status CheckingThread::Finish() {
  if (batch_.rows() > 0) Hand(std::exchange(batch_, PackedRows()));
  {
    std::lock_guard lock(mutex_);
    input_done_ = true;
  }
  changed_.notify_all();
  thread_.join();
  return prepare_status_;
}

void CheckingThread::Run() {
  auto start = std::chrono::steady_clock::now();
  prepare_status_ = prepare_();
  prepare_seconds_ =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  bool checking = prepare_status_.ok();
  while (checking) {
    PackedRows batch;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return !queue_.empty() || input_done_; });
      if (abandoned_ || queue_.empty()) return;
      batch = std::move(queue_.front());
      queue_.pop_front();
      queued_bytes_ -= batch.bytes();
    }
    changed_.notify_all();
    checking = batch.Visit(check_);
  }
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  changed_.notify_all();
}

}  // namespace roster::import
