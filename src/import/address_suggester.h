#pragma once

// AddressSuggester: the "did you mean ...?" engine for addresses of a delete import that are
// not in the organization's user list (issue code not_found). It is built once per import from
// the organization's matching keys and then answers many queries. A suggestion is only ever
// offered to the admin, never applied (DESIGN.md section 2).
//
// Thread-safety and lifetime: the Builder is single-threaded. The AddressSuggester it returns
// is immutable and owns copies of everything it needs; Suggest() and Contains() are safe to
// call from any number of threads at once.
//
// What is suggested: the existing key at the smallest edit distance from the written key,
// counting distance = (edits in the local part) + (edits in the domain), at most
// kMaxSuggestionDistance in all, where
//  - edits are those of the optimal string alignment distance (insertion, deletion,
//    substitution, and transposition of two adjacent characters, each 1), counted on Unicode
//    code points, so "müller" -> "muller" is 1 edit, not 2 bytes;
//  - the local part may differ by at most EditBudget(length) edits, length being the shorter
//    of the two local parts in code points: short names are too easily "near" a stranger
//    (0 edits up to 2 code points, 1 edit for 3 to 5, 2 from 6 on; the same rule as
//    Elasticsearch's "fuzziness: AUTO");
//  - the domain is the written one, or, when the written domain is not one of the
//    organization's domains, an organization domain within EditBudget(shorter length) edits
//    of it (a domain typo: anna@acme-crop.example -> anna@acme-corp.example). Another existing
//    domain of the organization is never offered in place of a correctly written one, and keys
//    at domains that are not organization domains are only found under their own domain.
// Ties: the smallest total distance wins; among equal distances, the byte-wise smallest key.
// A key that exists gets no suggestion: suggestions are for not_found rows only.
//
// How it stays fast at a million keys without comparing pairs: every local part is split into
// segments separated by one-character gaps (PassJoin-style pigeonhole). Each edit, even a
// transposition, damages at most one segment, because two adjacent characters never lie in two
// different segments; so a key within d edits keeps at least (segments - d) segments intact,
// each shifted by at most d positions. The index maps (domain, length, segment number, segment
// content) to key ids, each entry carrying the key's set of character classes; a query looks
// its own substrings up at the few possible positions, drops keys whose class set is out of
// reach, keeps those that matched enough segments, and verifies only them with a banded OSA
// distance. It searches for one edit first and for two only when one finds nothing.
// Memory: about 90 bytes per key at a million keys like firstname.lastname42@acme-corp.example
// (the key bytes, 8 per segment, 17 to 34 for the exact-lookup table). Keys added in sorted
// order (as a store's unique index yields them) lie next to their near neighbours, which makes
// the verification of candidates up to twice as fast.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace roster::import {

// The largest total edit distance of a suggestion (local part plus domain).
inline constexpr int kMaxSuggestionDistance = 2;

// The largest number of edits allowed between two strings whose shorter one has `length` code
// points: 0 up to 2, 1 for 3 to 5, 2 from 6 on.
int EditBudget(int64_t length);

// The optimal string alignment distance between `a` and `b`, counted on code points (bytes that
// are not UTF-8 count as one character each), when it is at most `max_distance`; nothing when
// it is larger. Costs O(length * max_distance).
std::optional<int> OsaDistance(std::string_view a, std::string_view b, int max_distance);

class AddressSuggester {
 public:
  class Builder;

  // The existing key nearest to `key` (a matching key that is not in the set) under the rules
  // above, or nothing.
  std::optional<std::string> Suggest(std::string_view key) const;

  // Whether `key` is one of the organization's keys (exact, byte-wise).
  bool Contains(std::string_view key) const;

  // The number of distinct keys.
  size_t size() const { return offsets_.size() - 1; }

  // The heap memory held, in bytes (for the benchmark and for capacity planning).
  int64_t MemoryBytes() const;

 private:
  struct Entry {
    // 8 low bits of the segment hash (the bucket number is its high bits) over the key's
    // 24-bit character-class signature.
    uint32_t check;
    uint32_t id;
  };
  struct Query;
  struct Target;
  struct Best;
  struct SegmentMatches;
  class CandidateTable;

  AddressSuggester() = default;

  std::string_view KeyAt(uint32_t id) const;
  std::optional<uint32_t> Find(std::string_view key, uint64_t hash) const;
  void Insert(std::string_view key, uint64_t hash);
  size_t KeySlotOf(uint64_t hash) const;
  void PlaceKeySlot(uint64_t value);
  void GrowKeySlots();
  template <typename Visit>
  void ForEachSegment(Visit&& visit) const;
  void BuildIndex();
  void SearchDomain(Query& query, std::string_view domain, int domain_distance, int limit,
                    Best& best) const;
  void SearchLength(Query& query, const Target& target, int length, Best& best) const;
  SegmentMatches LookUp(const Query& query, const Target& target, int length, int count, int index,
                        int budget) const;
  void Scan(const Query& query, const SegmentMatches& matches, int max_signature_change,
            CandidateTable& table) const;
  void Probe(const SegmentMatches& matches, CandidateTable& table) const;
  void Verify(Query& query, const Target& target, uint32_t id, Best& best) const;

  std::vector<std::string> organization_domains_;  // sorted, unique
  std::string arena_;                              // all keys back to back
  std::vector<uint32_t> offsets_{0};               // key i is [offsets_[i], offsets_[i + 1])
  // Exact lookup by open addressing, at most half full: hash high half << 32 | (id + 1).
  int key_slot_bits_ = 0;
  std::vector<uint64_t> key_slots_;
  // The segment index: the entries of bucket b are entries_[bucket_starts_[b],
  // bucket_starts_[b + 1]), ids ascending.
  int bucket_bits_ = 1;
  std::vector<uint32_t> bucket_starts_;
  std::vector<Entry> entries_;
};

// Takes the organization's keys one at a time, as a store visits them, so that only one copy of
// them is ever held. Single-threaded; Finish() consumes it.
class AddressSuggester::Builder {
 public:
  // The default bound on the bytes of all keys: the index addresses them with 32 bits.
  static constexpr int64_t kMaxKeyBytes = INT64_C(0xFFFFFFFF);

  // `organization_domains`: the organization's domains, normalized as stored
  // (roster::NormalizeDomain: lower-case, punycode). They are the only targets of the
  // domain-typo rule. `max_key_bytes` bounds the memory of the key store.
  explicit Builder(std::vector<std::string> organization_domains,
                   int64_t max_key_bytes = kMaxKeyBytes);

  // Adds one matching key as produced by roster::EmailKey. Adding a key twice keeps one.
  // Fails with kResourceExhausted when the keys would exceed `max_key_bytes`; the builder stays
  // usable with the keys added so far.
  [[nodiscard]] Status Add(std::string_view key);

  // Builds the segment index, in time linear in the total length of the keys.
  AddressSuggester Finish() &&;

 private:
  int64_t max_key_bytes_;
  AddressSuggester index_;
};

}  // namespace roster::import
