#include "import/address_suggester.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdlib>
#include <string>
#include <tuple>
#include <utility>

namespace roster::import {
namespace {

// Longer local parts and domains (never valid: RFC 5321 allows 64 and 255 octets) are neither
// indexed nor searched, which keeps every buffer of a query on the stack.
constexpr int kMaxChars = 256;
// From this length a local part is cut into four segments instead of three, so that a
// candidate must match two of them: a single common segment ("anna") is shared by thousands
// of keys at a million users. Eleven characters leave four segments of at least two.
constexpr int kFourSegmentsFrom = 11;
constexpr int kMaxSegments = 4;

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr uint64_t kFnvPrime = 0x100000001b3ULL;
constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ULL;
// A byte that is not UTF-8 stands for itself, outside the Unicode range.
constexpr char32_t kInvalidByteBase = 0x110000;

using Chars = std::array<char32_t, kMaxChars>;
using OsaRows = std::array<int, 3 * (kMaxChars + 1)>;

// MurmurHash3's finalizer: FNV leaves the high bits weak, and the bucket is taken from them.
uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

uint64_t HashBytes(std::string_view text) {
  uint64_t h = kFnvOffset;
  for (char c : text) h = (h ^ static_cast<unsigned char>(c)) * kFnvPrime;
  return Mix(h);
}

uint64_t HashSegment(uint64_t domain_hash, int length, int segment, const char32_t* chars,
                     int count) {
  uint64_t h = domain_hash ^ ((static_cast<uint64_t>(length) << 8) | segment) * kGolden;
  for (int i = 0; i < count; ++i) h = (h ^ chars[i]) * kFnvPrime;
  return Mix(h);
}

// Without -mpopcnt, std::popcount is a library call; this is the inlined SWAR count.
int CountBits(uint32_t bits) {
  bits = bits - ((bits >> 1) & 0x55555555U);
  bits = (bits & 0x33333333U) + ((bits >> 2) & 0x33333333U);
  return static_cast<int>((((bits + (bits >> 4)) & 0x0F0F0F0FU) * 0x01010101U) >> 24);
}

// The set of character classes in a local part, one bit each: a to z, the digits two to a bit,
// everything else on the last bit. One edit changes at most two bits (a substitution drops a
// class and adds one; a transposition none), which makes it a filter that never loses a match.
uint32_t Signature(const char32_t* chars, int count) {
  constexpr int kLetters = 26;
  constexpr int kDigitBits = 5;
  constexpr int kOtherBit = 31;
  uint32_t signature = 0;
  for (int i = 0; i < count; ++i) {
    const char32_t c = chars[i];
    int bit = kOtherBit;
    if (c >= U'a' && c <= U'z') bit = static_cast<int>(c - U'a');
    if (c >= U'0' && c <= U'9') bit = kLetters + static_cast<int>(c - U'0') % kDigitBits;
    signature |= uint32_t{1} << bit;
  }
  return signature;
}

// Splits a key at its last '@' (a quoted local part may contain '@'); a string without one is
// all local part.
std::pair<std::string_view, std::string_view> SplitKey(std::string_view key) {
  const size_t at = key.rfind('@');
  if (at == std::string_view::npos) return {key, {}};
  return {key.substr(0, at), key.substr(at + 1)};
}

// Decodes UTF-8 into `out`; returns the number of code points, or -1 when there are more than
// `capacity` (never when capacity >= text.size()).
int Decode(std::string_view text, char32_t* out, size_t capacity = kMaxChars) {
  const auto* cursor = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  const auto* end = cursor + text.size();
  size_t count = 0;
  while (cursor < end) {
    if (count == capacity) return -1;
    if (*cursor < 0x80) {  // the common case, without a call
      out[count++] = *cursor++;
      continue;
    }
    utf8proc_int32_t code_point = 0;
    const utf8proc_ssize_t size = utf8proc_iterate(cursor, end - cursor, &code_point);
    if (size <= 0) {
      out[count++] = kInvalidByteBase + *cursor++;
      continue;
    }
    out[count++] = static_cast<char32_t>(code_point);
    cursor += size;
  }
  return static_cast<int>(count);
}

// Optimal string alignment distance of a[0, n) and b[0, m) when at most `limit`, else
// limit + 1. A common prefix and suffix cost nothing and are skipped (keys that share a first
// name differ in a few characters); of the rest only the band |i - j| <= limit of the matrix is
// computed, and the computation stops as soon as a whole row exceeds the limit. `rows` holds
// 3 * (m + 1) ints.
int BoundedOsa(const char32_t* a, int n, const char32_t* b, int m, int limit, int* rows) {
  const int over = limit + 1;
  if (std::abs(n - m) > limit) return over;
  while (n > 0 && m > 0 && *a == *b) {
    ++a, ++b;
    --n, --m;
  }
  while (n > 0 && m > 0 && a[n - 1] == b[m - 1]) --n, --m;
  int* before = rows;            // row i - 2
  int* previous = rows + m + 1;  // row i - 1
  int* current = rows + 2 * (m + 1);
  for (int j = 0; j <= std::min(m, limit); ++j) previous[j] = j;
  if (limit + 1 <= m) previous[limit + 1] = over;
  for (int i = 1; i <= n; ++i) {
    const int low = std::max(1, i - limit);
    const int high = std::min(m, i + limit);
    // The cells just outside the band read as "too far", so the band needs no bounds checks.
    current[low - 1] = low == 1 && i <= limit ? i : over;
    if (high + 1 <= m) current[high + 1] = over;
    int row_min = current[low - 1];
    for (int j = low; j <= high; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int value = std::min({previous[j - 1] + cost, previous[j] + 1, current[j - 1] + 1});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        value = std::min(value, before[j - 2] + 1);
      }
      current[j] = std::min(value, over);
      row_min = std::min(row_min, current[j]);
    }
    if (row_min > limit) return over;
    std::swap(before, previous);  // rotate: row i becomes i - 1, i - 1 becomes i - 2
    std::swap(previous, current);
  }
  return previous[m];
}

// The segments of a local part of `length` code points: 2 for a budget of 1 edit, 3 or 4 for
// 2 edits, one code point apart. 0 when the length allows no edit (not indexed).
int SegmentCount(int length) {
  const int budget = EditBudget(length);
  if (budget == 0) return 0;
  if (budget == 1) return 2;
  return length >= kFourSegmentsFrom ? 4 : 3;
}

struct Segment {
  int start = 0;
  int length = 0;
};

// Segment `index` of `count`: the code points left after the count - 1 gaps, shared out
// evenly, the last segments one longer when they do not divide.
Segment SegmentAt(int length, int count, int index) {
  const int chars = length - (count - 1);
  const int base = chars / count;
  const int shorter = count - chars % count;
  return {index * (base + 1) + std::max(0, index - shorter), base + (index >= shorter ? 1 : 0)};
}

int CodePointCount(std::string_view text) {
  Chars chars;
  return Decode(text, chars.data());
}

struct DomainMatch {
  std::string_view domain;
  int distance = 0;
};

// The domains a written key may have meant: its own, and, when the organization does not own
// it, the organization's domains near it (a domain typo). A correctly written domain of the
// organization is never swapped for another one.
std::vector<DomainMatch> DomainsNear(const std::vector<std::string>& organization_domains,
                                     std::string_view written) {
  std::vector<DomainMatch> domains = {{written, 0}};
  if (std::binary_search(organization_domains.begin(), organization_domains.end(), written)) {
    return domains;
  }
  const int written_length = CodePointCount(written);
  for (const std::string& domain : organization_domains) {
    const int budget = std::min(kMaxSuggestionDistance,
                                EditBudget(std::min(written_length, CodePointCount(domain))));
    if (std::optional<int> distance = OsaDistance(written, domain, budget)) {
      domains.push_back({domain, *distance});
    }
  }
  return domains;
}

}  // namespace

int EditBudget(int64_t length) {
  if (length <= 2) return 0;
  if (length <= 5) return 1;
  return 2;
}

std::optional<int> OsaDistance(std::string_view a, std::string_view b, int max_distance) {
  if (max_distance < 0) return std::nullopt;
  // A string has at most as many code points as bytes; short ones (all valid addresses) stay
  // on the stack.
  const bool small = a.size() <= kMaxChars && b.size() <= kMaxChars;
  Chars a_small;
  Chars b_small;
  OsaRows rows_small;
  std::vector<char32_t> a_large(small ? 0 : a.size());
  std::vector<char32_t> b_large(small ? 0 : b.size());
  std::vector<int> rows_large(small ? 0 : 3 * (b.size() + 1));
  char32_t* a_chars = small ? a_small.data() : a_large.data();
  char32_t* b_chars = small ? b_small.data() : b_large.data();
  const int n = Decode(a, a_chars, a.size());
  const int m = Decode(b, b_chars, b.size());
  const int distance = BoundedOsa(a_chars, n, b_chars, m, max_distance,
                                  small ? rows_small.data() : rows_large.data());
  if (distance > max_distance) return std::nullopt;
  return distance;
}

// The keys met in the segment lists of one length, with the segments each matched: an
// open-addressing table that is only as large as the shortest lists, so it stays in cache, and
// is emptied slot by slot rather than cleared whole.
class AddressSuggester::CandidateTable {
 public:
  // Prepares the empty table for up to `capacity` keys.
  void Reset(uint32_t capacity) {
    const size_t size = std::bit_ceil(std::max<size_t>(kMinSlots, size_t{2} * capacity));
    if (slots_.size() < size) slots_.assign(size, 0);
    mask_ = size - 1;
  }

  // Records that key `id` matched `segment`; a key not yet present is added only if `insert`.
  void Mark(uint32_t id, int segment, bool insert) {
    const uint64_t tag = static_cast<uint64_t>(id) + 1;
    for (size_t slot = ((tag * kGolden) >> 32) & mask_;; slot = (slot + 1) & mask_) {
      const uint64_t present = slots_[slot] >> 32;
      if (present == tag) {
        slots_[slot] |= uint64_t{1} << segment;
        return;
      }
      if (present == 0) {
        if (!insert) return;
        slots_[slot] = (tag << 32) | (uint64_t{1} << segment);
        used_.push_back(static_cast<uint32_t>(slot));
        return;
      }
    }
  }

  size_t size() const { return used_.size(); }
  uint32_t IdAt(size_t k) const { return static_cast<uint32_t>((slots_[used_[k]] >> 32) - 1); }
  void MarkAt(size_t k, int segment) { slots_[used_[k]] |= uint64_t{1} << segment; }

  // Moves the ids of the keys that matched at least `needed` segments to `out`, ascending (so
  // that they are read in the order they lie in memory), and empties the table.
  void TakeMatching(int needed, std::vector<uint32_t>& out) {
    out.clear();
    for (uint32_t slot : used_) {
      if (CountBits(static_cast<uint32_t>(slots_[slot])) >= needed) {
        out.push_back(static_cast<uint32_t>((slots_[slot] >> 32) - 1));
      }
      slots_[slot] = 0;
    }
    used_.clear();
    std::sort(out.begin(), out.end());
  }

 private:
  static constexpr size_t kMinSlots = 16;
  std::vector<uint64_t> slots_;  // (id + 1) << 32 | segment bits; 0 = free
  std::vector<uint32_t> used_;   // the occupied slots
  size_t mask_ = 0;
};

// The index ranges that may hold one segment of the written local part, at each position.
struct AddressSuggester::SegmentMatches {
  struct Range {
    uint32_t begin = 0;
    uint32_t end = 0;
    uint32_t fingerprint = 0;
  };
  std::array<Range, 2 * kMaxSuggestionDistance + 1> ranges;
  int range_count = 0;
  int index = 0;      // the segment number
  uint32_t size = 0;  // entries in all ranges: the cost of scanning them
};

// The written key, decoded once per Suggest() call, and the scratch space of the search.
struct AddressSuggester::Query {
  std::string_view local;
  std::string_view domain;
  Chars chars;
  int length = 0;
  uint32_t signature = 0;
  CandidateTable candidates;
  std::vector<uint32_t> matching;  // ids that matched enough segments
  Chars candidate;                 // the local part being verified
  OsaRows rows;
};

// One domain to search: the written one (distance 0) or an organization domain near it.
struct AddressSuggester::Target {
  std::string_view domain;
  uint64_t domain_hash = 0;
  int domain_distance = 0;
  int budget = 0;  // the most edits left for the local part
};

// The best suggestion so far, by (total distance, key).
struct AddressSuggester::Best {
  int distance = kMaxSuggestionDistance + 1;
  std::string_view key;

  void Offer(int candidate_distance, std::string_view candidate) {
    if (candidate_distance < distance || (candidate_distance == distance && candidate < key)) {
      distance = candidate_distance;
      key = candidate;
    }
  }
};

AddressSuggester::Builder::Builder(std::vector<std::string> organization_domains,
                                   int64_t max_key_bytes)
    : max_key_bytes_(std::min(max_key_bytes, kMaxKeyBytes)) {
  std::sort(organization_domains.begin(), organization_domains.end());
  organization_domains.erase(std::unique(organization_domains.begin(), organization_domains.end()),
                             organization_domains.end());
  index_.organization_domains_ = std::move(organization_domains);
}

Status AddressSuggester::Builder::Add(std::string_view key) {
  if (index_.Contains(key)) return Status::Ok();
  if (static_cast<int64_t>(index_.arena_.size() + key.size()) > max_key_bytes_) {
    return ResourceExhausted("The organization's addresses take more than " +
                             std::to_string(max_key_bytes_) +
                             " bytes, the limit of the suggestion index.");
  }
  index_.Insert(key);
  return Status::Ok();
}

AddressSuggester AddressSuggester::Builder::Finish() && {
  index_.BuildIndex();
  return std::move(index_);
}

std::string_view AddressSuggester::KeyAt(uint32_t id) const {
  return std::string_view(arena_).substr(offsets_[id], offsets_[id + 1] - offsets_[id]);
}

std::optional<uint32_t> AddressSuggester::Find(std::string_view key) const {
  if (slots_.empty()) return std::nullopt;
  const size_t mask = slots_.size() - 1;
  for (size_t slot = HashBytes(key) & mask;; slot = (slot + 1) & mask) {
    if (slots_[slot] == 0) return std::nullopt;
    if (KeyAt(slots_[slot] - 1) == key) return slots_[slot] - 1;
  }
}

bool AddressSuggester::Contains(std::string_view key) const { return Find(key).has_value(); }

// Appends a key known to be absent; the slot table stays at most half full so that a miss
// ends after a probe or two.
void AddressSuggester::Insert(std::string_view key) {
  if ((size() + 1) * 2 > slots_.size()) GrowSlots();
  const uint32_t id = static_cast<uint32_t>(size());
  arena_.append(key);
  offsets_.push_back(static_cast<uint32_t>(arena_.size()));
  const size_t mask = slots_.size() - 1;
  size_t slot = HashBytes(key) & mask;
  while (slots_[slot] != 0) slot = (slot + 1) & mask;
  slots_[slot] = id + 1;
}

void AddressSuggester::GrowSlots() {
  constexpr size_t kInitialSlots = 16;
  slots_.assign(std::max(kInitialSlots, slots_.size() * 2), 0);
  const size_t mask = slots_.size() - 1;
  for (uint32_t id = 0; id < size(); ++id) {
    size_t slot = HashBytes(KeyAt(id)) & mask;
    while (slots_[slot] != 0) slot = (slot + 1) & mask;
    slots_[slot] = id + 1;
  }
}

// Calls visit(id, code points, count) for every indexed key (ids ascending), then
// visit_segment(segment hash, id) for each of its segments.
template <typename Visit>
void AddressSuggester::ForEachSegment(Visit&& visit) const {
  Chars chars;
  for (uint32_t id = 0; id < size(); ++id) {
    const auto [local, domain] = SplitKey(KeyAt(id));
    const int length = Decode(local, chars.data());
    const int count = length < 0 ? 0 : SegmentCount(length);
    if (count == 0) continue;
    const uint64_t domain_hash = HashBytes(domain);
    for (int index = 0; index < count; ++index) {
      const Segment segment = SegmentAt(length, count, index);
      visit(HashSegment(domain_hash, length, index, chars.data() + segment.start, segment.length),
            id, chars.data(), length);
    }
  }
}

// A counting sort of all segments into buckets by the high bits of their hash: two passes over
// the keys, no per-entry allocation, ids ascending within each bucket.
void AddressSuggester::BuildIndex() {
  arena_.shrink_to_fit();
  offsets_.shrink_to_fit();
  bucket_bits_ = std::max(1, static_cast<int>(std::bit_width(size())));
  const size_t bucket_count = size_t{1} << bucket_bits_;
  const int shift = 64 - bucket_bits_;
  bucket_starts_.assign(bucket_count + 1, 0);
  signatures_.assign(size(), 0);
  ForEachSegment([&](uint64_t hash, uint32_t id, const char32_t* chars, int length) {
    ++bucket_starts_[(hash >> shift) + 1];
    signatures_[id] = Signature(chars, length);
  });
  for (size_t b = 1; b <= bucket_count; ++b) bucket_starts_[b] += bucket_starts_[b - 1];
  entries_.resize(bucket_starts_[bucket_count]);
  // bucket_starts_[b] serves as the fill cursor of bucket b, ending at the start of b + 1 ...
  ForEachSegment([&](uint64_t hash, uint32_t id, const char32_t*, int) {
    entries_[bucket_starts_[hash >> shift]++] = {static_cast<uint32_t>(hash), id};
  });
  // ... so moving every cursor up one bucket restores the starts.
  for (size_t b = bucket_count - 1; b > 0; --b) bucket_starts_[b] = bucket_starts_[b - 1];
  bucket_starts_[0] = 0;
}

std::optional<std::string> AddressSuggester::Suggest(std::string_view key) const {
  if (Contains(key)) return std::nullopt;
  Query query;
  std::tie(query.local, query.domain) = SplitKey(key);
  query.length = Decode(query.local, query.chars.data());
  if (query.length < 0) return std::nullopt;
  query.signature = Signature(query.chars.data(), query.length);
  const std::vector<DomainMatch> domains = DomainsNear(organization_domains_, query.domain);
  // One edit first: a key at one edit makes every key at two irrelevant, and the search for
  // one edit is far narrower (three segments of four must match instead of two).
  for (int limit = 1; limit <= kMaxSuggestionDistance; ++limit) {
    Best best;
    for (const DomainMatch& domain : domains) {
      if (domain.distance <= limit) SearchDomain(query, domain.domain, domain.distance, limit, best);
    }
    if (!best.key.empty()) return std::string(best.key);
  }
  return std::nullopt;
}

void AddressSuggester::SearchDomain(Query& query, std::string_view domain, int domain_distance,
                                    int limit, Best& best) const {
  if (domain_distance > 0) {  // the same local part at the domain meant
    std::string key(query.local);
    key.append("@").append(domain);
    if (std::optional<uint32_t> id = Find(key)) best.Offer(domain_distance, KeyAt(*id));
  }
  const int budget = std::min(limit - domain_distance, EditBudget(query.length));
  if (budget <= 0) return;
  const Target target{domain, HashBytes(domain), domain_distance, budget};
  for (int length = std::max(1, query.length - budget);
       length <= std::min(kMaxChars, query.length + budget); ++length) {
    SearchLength(query, target, length, best);
  }
}

// Finds the keys of `length` code points in the target domain that share enough segments
// with the written local part, and verifies them. A key within reach matched at least
// `needed` of the segment lists, so it is in one of the (count - needed + 1) shortest ones:
// those generate the candidates; the longer lists, often thousands of keys that share a first
// name, only add matches to them, by a scan or, when the candidates are few, by binary search.
void AddressSuggester::SearchLength(Query& query, const Target& target, int length,
                                    Best& best) const {
  const int budget = std::min(target.budget, EditBudget(std::min(query.length, length)));
  const int delta = query.length - length;
  const int count = SegmentCount(length);
  if (budget == 0 || std::abs(delta) > budget || count == 0) return;
  std::array<SegmentMatches, kMaxSegments> lists;
  for (int index = 0; index < count; ++index) {
    lists[index] = LookUp(query, target, length, count, index, budget);
  }
  std::sort(lists.begin(), lists.begin() + count,
            [](const SegmentMatches& a, const SegmentMatches& b) { return a.size < b.size; });
  // At most `budget` segments are damaged, so a key within reach matched all the others.
  const int needed = count - budget;
  const int generators = count - needed + 1;
  uint32_t generated = 0;
  for (int g = 0; g < generators; ++g) generated += lists[g].size;
  CandidateTable& table = query.candidates;
  table.Reset(generated);
  for (int g = 0; g < generators; ++g) Scan(lists[g], /*insert=*/true, table);
  for (int c = generators; c < count && table.size() > 0; ++c) {
    const SegmentMatches& list = lists[c];
    const uint64_t probe_cost =
        table.size() * static_cast<uint64_t>(list.range_count) * std::bit_width(list.size);
    if (probe_cost < list.size) {
      Probe(list, table);
    } else {
      Scan(list, /*insert=*/false, table);
    }
  }
  table.TakeMatching(needed, query.matching);
  for (uint32_t id : query.matching) {
    if (CountBits(signatures_[id] ^ query.signature) > 2 * budget) continue;
    Verify(query, target, id, best);
  }
}

// Where segment `index` of the keys of `length` code points may lie in the written local part:
// an intact segment moved by `shift` needs |shift| edits before it and |delta - shift| after.
AddressSuggester::SegmentMatches AddressSuggester::LookUp(const Query& query,
                                                          const Target& target, int length,
                                                          int count, int index,
                                                          int budget) const {
  const int delta = query.length - length;
  const Segment segment = SegmentAt(length, count, index);
  const int shift_bits = 64 - bucket_bits_;
  SegmentMatches matches;
  matches.index = index;
  for (int shift = -budget; shift <= budget; ++shift) {
    if (std::abs(shift) + std::abs(delta - shift) > budget) continue;
    const int start = segment.start + shift;
    if (start < 0 || start + segment.length > query.length) continue;
    const uint64_t hash = HashSegment(target.domain_hash, length, index,
                                      query.chars.data() + start, segment.length);
    const size_t bucket = hash >> shift_bits;
    SegmentMatches::Range& range = matches.ranges[matches.range_count++];
    range = {bucket_starts_[bucket], bucket_starts_[bucket + 1], static_cast<uint32_t>(hash)};
    matches.size += range.end - range.begin;
  }
  return matches;
}

void AddressSuggester::Scan(const SegmentMatches& matches, bool insert,
                            CandidateTable& table) const {
  for (int r = 0; r < matches.range_count; ++r) {
    const SegmentMatches::Range& range = matches.ranges[r];
    for (uint32_t e = range.begin; e < range.end; ++e) {
      if (entries_[e].fingerprint == range.fingerprint) {
        table.Mark(entries_[e].id, matches.index, insert);
      }
    }
  }
}

// Looks every candidate up in the ranges, which hold ids in ascending order.
void AddressSuggester::Probe(const SegmentMatches& matches, CandidateTable& table) const {
  for (size_t k = 0; k < table.size(); ++k) {
    const uint32_t id = table.IdAt(k);
    for (int r = 0; r < matches.range_count; ++r) {
      const SegmentMatches::Range& range = matches.ranges[r];
      auto entry = std::lower_bound(
          entries_.begin() + range.begin, entries_.begin() + range.end, id,
          [](const Entry& entry, uint32_t wanted) { return entry.id < wanted; });
      for (; entry != entries_.begin() + range.end && entry->id == id; ++entry) {
        if (entry->fingerprint == range.fingerprint) table.MarkAt(k, matches.index);
      }
    }
  }
}

void AddressSuggester::Verify(Query& query, const Target& target, uint32_t id, Best& best) const {
  const std::string_view key = KeyAt(id);
  const auto [local, domain] = SplitKey(key);
  if (domain != target.domain) return;  // a hash collision with another domain
  const int length = Decode(local, query.candidate.data());
  if (length < 0) return;
  const int budget = std::min(target.budget, EditBudget(std::min(query.length, length)));
  const int distance = BoundedOsa(query.chars.data(), query.length, query.candidate.data(), length,
                                  budget, query.rows.data());
  if (distance <= budget) best.Offer(target.domain_distance + distance, key);
}

int64_t AddressSuggester::MemoryBytes() const {
  int64_t bytes = static_cast<int64_t>(
      arena_.capacity() + offsets_.capacity() * sizeof(uint32_t) +
      slots_.capacity() * sizeof(uint32_t) + bucket_starts_.capacity() * sizeof(uint32_t) +
      entries_.capacity() * sizeof(Entry) + signatures_.capacity() * sizeof(uint32_t));
  for (const std::string& domain : organization_domains_) {
    bytes += static_cast<int64_t>(sizeof(std::string) + domain.capacity());
  }
  return bytes;
}

}  // namespace roster::import
