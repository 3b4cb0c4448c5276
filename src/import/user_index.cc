#include "import/user_index.h"

#include <cassert>

namespace roster::import {
namespace {

constexpr size_t kInitialSlots = 1024;

// The low 32 bits of a key's hash: they place the key and, kept in its slot, tell most other
// keys apart without reading them (a lookup that reads an entry and its key bytes for every
// occupied slot it passes costs two more cache misses each).
uint32_t Tag(std::string_view key) {
  return static_cast<uint32_t>(std::hash<std::string_view>{}(key));
}

uint64_t Slot(uint32_t tag, size_t entry) {
  return (uint64_t{tag} << 32) | static_cast<uint32_t>(entry + 1);
}
uint32_t TagOf(uint64_t slot) { return static_cast<uint32_t>(slot >> 32); }
size_t EntryOf(uint64_t slot) { return static_cast<uint32_t>(slot) - size_t{1}; }

}  // namespace

Result<UserIndex> UserIndex::Load(Store& store, int64_t org_id) {
  UserIndex index;
  ROSTER_RETURN_IF_ERROR(store.ForEachUserKey(org_id, [&](const UserKey& key) {
    index.Add(key.email_key, {key.user_id, key.has_elearning});
  }));
  return index;
}

void UserIndex::Add(std::string_view key, IndexedUser user) {
  // Keep the table at most half full, so probe runs stay short.
  if ((entries_.size() + 1) * 2 > slots_.size()) Grow();
  entries_.push_back({arena_.size(), static_cast<uint32_t>(key.size()), user});
  arena_.append(key);
  const uint32_t tag = Tag(key);
  const size_t mask = slots_.size() - 1;
  for (size_t slot = tag & mask;; slot = (slot + 1) & mask) {
    if (slots_[slot] == 0) {
      slots_[slot] = Slot(tag, entries_.size() - 1);
      return;
    }
    assert((TagOf(slots_[slot]) != tag || KeyOf(entries_[EntryOf(slots_[slot])]) != key) &&
           "keys must be unique");
  }
}

std::optional<size_t> UserIndex::Position(std::string_view key) const {
  if (slots_.empty()) return std::nullopt;
  const uint32_t tag = Tag(key);
  const size_t mask = slots_.size() - 1;
  for (size_t slot = tag & mask; slots_[slot] != 0; slot = (slot + 1) & mask) {
    if (TagOf(slots_[slot]) != tag) continue;
    size_t position = EntryOf(slots_[slot]);
    if (KeyOf(entries_[position]) == key) return position;
  }
  return std::nullopt;
}

const IndexedUser* UserIndex::Find(std::string_view key) const {
  std::optional<size_t> position = Position(key);
  return position ? &entries_[*position].user : nullptr;
}

void UserIndex::ForEachKey(const std::function<void(std::string_view key)>& visit) const {
  for (const Entry& entry : entries_) visit(KeyOf(entry));
}

void UserIndex::Grow() {
  // The tags place the keys again without reading them.
  std::vector<uint64_t> grown(slots_.empty() ? kInitialSlots : slots_.size() * 2, 0);
  const size_t mask = grown.size() - 1;
  for (uint64_t occupied : slots_) {
    if (occupied == 0) continue;
    size_t slot = TagOf(occupied) & mask;
    while (grown[slot] != 0) slot = (slot + 1) & mask;
    grown[slot] = occupied;
  }
  slots_ = std::move(grown);
}

}  // namespace roster::import
