#pragma once

// PrefetchingReader: runs another ByteReader on a background thread, a bounded ring of
// buffers ahead of its consumer, so that inflating a zip member (one core) overlaps with
// scanning its XML (the other core). Memory is fixed: `slots` buffers of `slot_bytes`.
//
// The PrefetchingReader itself is used from one thread. While it lives, the wrapped reader
// runs on its own thread, so whatever the wrapped reader uses (the ZipArchive) must not be
// used by anyone else until the PrefetchingReader is destroyed; destruction stops and joins
// the thread, also in the middle of the stream.

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "sheet/byte_reader.h"

namespace roster::sheet {

class PrefetchingReader final : public ByteReader {
 public:
  static constexpr size_t kDefaultSlotBytes = size_t{1} << 20;
  static constexpr size_t kDefaultSlots = 4;

  explicit PrefetchingReader(std::unique_ptr<ByteReader> inner,
                             size_t slot_bytes = kDefaultSlotBytes, size_t slots = kDefaultSlots);
  ~PrefetchingReader() override;
  PrefetchingReader(const PrefetchingReader&) = delete;
  PrefetchingReader& operator=(const PrefetchingReader&) = delete;

  Result<size_t> Read(char* buffer, size_t capacity) override;

 private:
  struct Slot {
    std::vector<char> data;
    size_t size = 0;
  };

  void Produce();

  std::unique_ptr<ByteReader> inner_;
  std::vector<Slot> slots_;
  std::mutex mutex_;
  std::condition_variable changed_;
  size_t filled_ = 0;     // slots ready for the consumer (guarded by mutex_)
  bool done_ = false;     // the producer has put its last slot (guarded by mutex_)
  bool stop_ = false;     // the consumer is gone (guarded by mutex_)
  Status error_;          // the producer's failure, reported after its slots (mutex_)
  size_t read_slot_ = 0;  // consumer side only
  size_t read_offset_ = 0;
  std::thread producer_;
};

}  // namespace roster::sheet
