#include "import/user_index.h"

#include <cassert>

namespace roster::import {
namespace {

constexpr size_t kInitialSlots = 1024;

size_t Hash(std::string_view key) { return std::hash<std::string_view>{}(key); }

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
  size_t mask = slots_.size() - 1;
  for (size_t slot = Hash(key) & mask;; slot = (slot + 1) & mask) {
    if (slots_[slot] == 0) {
      slots_[slot] = static_cast<uint32_t>(entries_.size());
      return;
    }
    assert(KeyOf(entries_[slots_[slot] - 1]) != key && "keys must be unique");
  }
}

std::optional<size_t> UserIndex::Position(std::string_view key) const {
  if (slots_.empty()) return std::nullopt;
  size_t mask = slots_.size() - 1;
  for (size_t slot = Hash(key) & mask; slots_[slot] != 0; slot = (slot + 1) & mask) {
    size_t position = slots_[slot] - 1;
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
  std::vector<uint32_t> grown(slots_.empty() ? kInitialSlots : slots_.size() * 2, 0);
  size_t mask = grown.size() - 1;
  for (size_t i = 0; i < entries_.size(); ++i) {
    size_t slot = Hash(KeyOf(entries_[i])) & mask;
    while (grown[slot] != 0) slot = (slot + 1) & mask;
    grown[slot] = static_cast<uint32_t>(i + 1);
  }
  slots_ = std::move(grown);
}

}  // namespace roster::import
