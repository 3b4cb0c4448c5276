#pragma once

// UserIndex: the organization's matching keys in memory, for matching a whole file against
// them without a database round trip per row. Compact by design (one arena of key bytes and
// a flat open-addressing table), because an organization may have a million users: about
// 70 bytes a user. Built once, then read-only: Find() is safe from several threads.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/store.h"

namespace roster::import {

struct IndexedUser {
  int64_t user_id = 0;
  bool has_elearning = false;
};

class UserIndex {
 public:
  // Reads every user key of the organization from the store.
  static Result<UserIndex> Load(Store& store, int64_t org_id);

  // Adds one key; keys must be unique. For Load and for tests.
  void Add(std::string_view key, IndexedUser user);

  const IndexedUser* Find(std::string_view key) const;
  // The position of `key` in the order added (0 to size() - 1), for per-user flags kept
  // beside the index.
  std::optional<size_t> Position(std::string_view key) const;
  const IndexedUser& At(size_t position) const { return entries_[position].user; }
  size_t size() const { return entries_.size(); }

  // Visits every key, in the order added.
  void ForEachKey(const std::function<void(std::string_view key)>& visit) const;

 private:
  struct Entry {
    uint64_t offset;  // into arena_
    uint32_t length;
    IndexedUser user;
  };
  std::string_view KeyOf(const Entry& entry) const {
    return std::string_view(arena_).substr(entry.offset, entry.length);
  }
  void Grow();

  std::string arena_;
  std::vector<Entry> entries_;
  // Open addressing, at most half full: the key's hash tag (high 32 bits) and its entry
  // index + 1 (low 32 bits); 0 = empty. At most 2^31 keys.
  std::vector<uint64_t> slots_;
};

}  // namespace roster::import
