#include "sheet/prefetching_reader.h"

#include <algorithm>
#include <cstring>

namespace roster::sheet {

PrefetchingReader::PrefetchingReader(std::unique_ptr<ByteReader> inner, size_t slot_bytes,
                                     size_t slots)
    : inner_(std::move(inner)), slots_(std::max<size_t>(slots, 2)) {
  for (Slot& slot : slots_) slot.data.resize(std::max<size_t>(slot_bytes, 1));
  producer_ = std::thread([this] { Produce(); });
}

PrefetchingReader::~PrefetchingReader() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  producer_.join();
}

void PrefetchingReader::Produce() {
  size_t write_slot = 0;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return stop_ || filled_ < slots_.size(); });
      if (stop_) return;
    }
    // The slot is the producer's alone until it is counted in filled_.
    Slot& slot = slots_[write_slot];
    Result<size_t> n = inner_->Read(slot.data.data(), slot.data.size());
    {
      std::lock_guard lock(mutex_);
      if (!n.ok()) {
        error_ = n.status();
        done_ = true;
      } else if (*n == 0) {
        done_ = true;
      } else {
        slot.size = *n;
        ++filled_;
      }
    }
    changed_.notify_all();
    if (!n.ok() || *n == 0) return;
    write_slot = (write_slot + 1) % slots_.size();
  }
}

Result<size_t> PrefetchingReader::Read(char* buffer, size_t capacity) {
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return filled_ > 0 || done_; });
    if (filled_ == 0) {
      if (!error_.ok()) return error_;
      return size_t{0};
    }
  }
  Slot& slot = slots_[read_slot_];
  const size_t n = std::min(capacity, slot.size - read_offset_);
  std::memcpy(buffer, slot.data.data() + read_offset_, n);
  read_offset_ += n;
  if (read_offset_ == slot.size) {
    read_offset_ = 0;
    read_slot_ = (read_slot_ + 1) % slots_.size();
    {
      std::lock_guard lock(mutex_);
      --filled_;
    }
    changed_.notify_all();
  }
  return n;
}

}  // namespace roster::sheet
