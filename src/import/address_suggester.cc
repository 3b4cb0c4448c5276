#include "import/address_suggester.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdlib>
#include <cstring>
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
// The key slots keep the high half of a key's hash above its id.
constexpr int kTagShift = 32;
// A byte that is not UTF-8 stands for itself, outside the Unicode range.
constexpr char32_t kInvalidByteBase = 0x110000;

using Chars = std::array<char32_t, kMaxChars>;
using OsaRows = std::array<int, size_t{3} * (kMaxChars + 1)>;

// MurmurHash3's finalizer: FNV leaves the high bits weak, and the bucket is taken from them.
uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

// Eight bytes at a time: hashing every key once per Add() is a good part of the build.
uint64_t HashBytes(std::string_view text) {
  uint64_t h = kFnvOffset ^ text.size();
  size_t i = 0;
  for (; i + sizeof(uint64_t) <= text.size(); i += sizeof(uint64_t)) {
    uint64_t word = 0;
    std::memcpy(&word, text.data() + i, sizeof(word));
    h = (h ^ word) * kGolden;
    h ^= h >> 29;
  }
  uint64_t tail = 0;
  if (i < text.size()) std::memcpy(&tail, text.data() + i, text.size() - i);
  return Mix((h ^ tail) * kGolden);
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

// The character classes of a local part as a set, one bit each: 16 frequent letters alone, the
// other letters, the digits and everything else shared out over 8 more bits. One edit changes at
// most two bits (a substitution drops a class and adds one; a transposition none), so a key
// whose set differs from the written one's in more than 2 bits per allowed edit is out of reach:
// a filter that never loses a match and needs no look at the key itself.
constexpr int kSignatureBits = 24;
constexpr uint32_t kSignatureMask = (uint32_t{1} << kSignatureBits) - 1;

// Letters from the most frequent in names on: the first 16 get a bit each, the 10 rarer ones
// share 4 bits, three to a bit.
constexpr std::string_view kLettersByFrequency = "eanirslthomducgkbpfvwzjyxq";
constexpr int kOwnBitLetters = 16;
constexpr int kLettersPerSharedBit = 3;
constexpr std::array<uint8_t, 26> kLetterBits = [] {
  std::array<uint8_t, 26> bits{};
  for (int rank = 0; rank < static_cast<int>(kLettersByFrequency.size()); ++rank) {
    const int bit = rank < kOwnBitLetters
                        ? rank
                        : kOwnBitLetters + (rank - kOwnBitLetters) / kLettersPerSharedBit;
    bits[kLettersByFrequency[rank] - 'a'] = static_cast<uint8_t>(bit);
  }
  return bits;
}();
constexpr int kFirstDigitBit = 20;
constexpr int kDigitBitCount = 3;
constexpr int kOtherBit = 23;

uint32_t Signature(const char32_t* chars, int count) {
  uint32_t signature = 0;
  for (int i = 0; i < count; ++i) {
    const char32_t c = chars[i];
    int bit = kOtherBit;
    if (c >= U'a' && c <= U'z') bit = kLetterBits[c - U'a'];
    if (c >= U'0' && c <= U'9') bit = kFirstDigitBit + static_cast<int>(c - U'0') % kDigitBitCount;
    signature |= uint32_t{1} << bit;
  }
  return signature;
}

// An index entry's check word: 8 more bits of the segment hash above the key's signature.
uint32_t CheckWord(uint64_t hash, uint32_t signature) {
  return (static_cast<uint32_t>(hash) << kSignatureBits) | signature;
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
  int* before = rows;               // row i - 2
  int* previous = rows + m + 1;     // row i - 1
  int* current = previous + m + 1;  // row i
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
    uint64_t hash = 0;  // of the segment
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
  const uint64_t hash = HashBytes(key);
  if (index_.Find(key, hash)) return Status::Ok();
  if (static_cast<int64_t>(index_.arena_.size() + key.size()) > max_key_bytes_) {
    return ResourceExhausted("The organization's addresses take more than " +
                             std::to_string(max_key_bytes_) +
                             " bytes, the limit of the suggestion index.");
  }
  index_.Insert(key, hash);
  return Status::Ok();
}

AddressSuggester AddressSuggester::Builder::Finish() && {
  index_.BuildIndex();
  return std::move(index_);
}

std::string_view AddressSuggester::KeyAt(uint32_t id) const {
  return std::string_view(arena_).substr(offsets_[id], offsets_[id + 1] - offsets_[id]);
}

// A key slot holds the high half of the key's hash over its id + 1 (0 = free). The slot number
// is taken from the top of the hash too, so the table grows without reading a single key, and
// a probe compares key bytes only when the hashes agree.
size_t AddressSuggester::KeySlotOf(uint64_t hash) const {
  return static_cast<size_t>(hash >> (64 - key_slot_bits_));
}

std::optional<uint32_t> AddressSuggester::Find(std::string_view key, uint64_t hash) const {
  if (key_slots_.empty()) return std::nullopt;
  const size_t mask = key_slots_.size() - 1;
  const uint64_t tag = hash >> kTagShift;
  for (size_t slot = KeySlotOf(hash);; slot = (slot + 1) & mask) {
    const uint64_t value = key_slots_[slot];
    if (value == 0) return std::nullopt;
    const auto id = static_cast<uint32_t>(value - 1);  // the low half
    if (value >> kTagShift == tag && KeyAt(id) == key) return id;
  }
}

bool AddressSuggester::Contains(std::string_view key) const {
  return Find(key, HashBytes(key)).has_value();
}

// Appends a key known to be absent; the slot table stays at most half full so that a miss
// ends after a probe or two.
void AddressSuggester::Insert(std::string_view key, uint64_t hash) {
  if ((size() + 1) * 2 > key_slots_.size()) GrowKeySlots();
  const uint32_t id = static_cast<uint32_t>(size());
  arena_.append(key);
  offsets_.push_back(static_cast<uint32_t>(arena_.size()));
  PlaceKeySlot(((hash >> kTagShift) << kTagShift) | (uint64_t{id} + 1));
}

void AddressSuggester::PlaceKeySlot(uint64_t value) {
  const size_t mask = key_slots_.size() - 1;
  size_t slot = KeySlotOf(value);  // the tag is the top of the hash
  while (key_slots_[slot] != 0) slot = (slot + 1) & mask;
  key_slots_[slot] = value;
}

void AddressSuggester::GrowKeySlots() {
  constexpr int kInitialBits = 4;
  std::vector<uint64_t> old = std::move(key_slots_);
  key_slot_bits_ = old.empty() ? kInitialBits : key_slot_bits_ + 1;
  key_slots_.assign(size_t{1} << key_slot_bits_, 0);
  for (uint64_t value : old) {
    if (value != 0) PlaceKeySlot(value);
  }
}

// Calls visit(segment hash, id, code points of the local part, their count) for every segment
// of every indexed key, ids ascending.
template <typename Visit>
void AddressSuggester::ForEachSegment(Visit&& visit) const {
  Chars chars;
  std::string_view last_domain;
  uint64_t domain_hash = HashBytes(last_domain);
  for (uint32_t id = 0; id < size(); ++id) {
    const auto [local, domain] = SplitKey(KeyAt(id));
    const int length = Decode(local, chars.data());
    const int count = length < 0 ? 0 : SegmentCount(length);
    if (count == 0) continue;
    if (domain != last_domain) {  // most keys share a domain or two
      last_domain = domain;
      domain_hash = HashBytes(domain);
    }
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
  ForEachSegment([&](uint64_t hash, uint32_t, const char32_t*, int) {
    ++bucket_starts_[(hash >> shift) + 1];
  });
  for (size_t b = 1; b <= bucket_count; ++b) bucket_starts_[b] += bucket_starts_[b - 1];
  entries_.resize(bucket_starts_[bucket_count]);
  // bucket_starts_[b] serves as the fill cursor of bucket b, ending at the start of b + 1 ...
  // The writes land all over the entries; taken a batch at a time, with the cursors and then
  // the places prefetched, their cache misses overlap instead of queueing (this pass takes a
  // third less time at a million keys).
  struct Pending {
    size_t bucket;
    Entry entry;
  };
  constexpr size_t kBatch = 64;
  std::array<Pending, kBatch> batch;
  std::array<uint32_t, kBatch> places;
  size_t pending = 0;
  auto flush = [&] {
    for (size_t i = 0; i < pending; ++i) __builtin_prefetch(&bucket_starts_[batch[i].bucket]);
    for (size_t i = 0; i < pending; ++i) {
      places[i] = bucket_starts_[batch[i].bucket]++;
      __builtin_prefetch(&entries_[places[i]], /*rw=*/1);
    }
    for (size_t i = 0; i < pending; ++i) entries_[places[i]] = batch[i].entry;
    pending = 0;
  };
  int64_t signature_id = -1;
  uint32_t signature = 0;
  ForEachSegment([&](uint64_t hash, uint32_t id, const char32_t* chars, int length) {
    if (id != signature_id) {  // once per key, not per segment
      signature_id = id;
      signature = Signature(chars, length);
    }
    batch[pending++] = {hash >> shift, {CheckWord(hash, signature), id}};
    if (pending == kBatch) flush();
  });
  flush();
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
      if (domain.distance <= limit) {
        SearchDomain(query, domain.domain, domain.distance, limit, best);
      }
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
    if (std::optional<uint32_t> id = Find(key, HashBytes(key))) {
      best.Offer(domain_distance, KeyAt(*id));
    }
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
  if (generated == 0) return;
  CandidateTable& table = query.candidates;
  table.Reset(generated);
  const int max_signature_change = 2 * budget;
  for (int g = 0; g < generators; ++g) Scan(query, lists[g], max_signature_change, table);
  for (int c = generators; c < count && table.size() > 0; ++c) {
    const SegmentMatches& list = lists[c];
    const uint64_t probe_cost =
        table.size() * static_cast<uint64_t>(list.range_count) * std::bit_width(list.size);
    if (probe_cost < list.size) {
      Probe(list, table);
    } else {
      Scan(query, list, /*max_signature_change=*/-1, table);
    }
  }
  table.TakeMatching(needed, query.matching);
  // Each candidate costs two cache misses (its offset, then its bytes); fetched a few
  // candidates ahead, they overlap with the verification of the ones before.
  constexpr size_t kOffsetsAhead = 8;
  constexpr size_t kBytesAhead = 4;
  const std::vector<uint32_t>& ids = query.matching;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i + kOffsetsAhead < ids.size()) __builtin_prefetch(&offsets_[ids[i + kOffsetsAhead]]);
    if (i + kBytesAhead < ids.size()) __builtin_prefetch(&arena_[offsets_[ids[i + kBytesAhead]]]);
    Verify(query, target, ids[i], best);
  }
}

// Where segment `index` of the keys of `length` code points may lie in the written local part:
// an intact segment moved by `shift` needs |shift| edits before it and |delta - shift| after.
AddressSuggester::SegmentMatches AddressSuggester::LookUp(const Query& query, const Target& target,
                                                          int length, int count, int index,
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
    const uint64_t hash =
        HashSegment(target.domain_hash, length, index, query.chars.data() + start, segment.length);
    const size_t bucket = hash >> shift_bits;
    SegmentMatches::Range& range = matches.ranges[matches.range_count++];
    range = {bucket_starts_[bucket], bucket_starts_[bucket + 1], hash};
    matches.size += range.end - range.begin;
  }
  return matches;
}

// Marks the keys in `matches`. With max_signature_change >= 0 the list generates candidates:
// keys not yet in the table are added unless their signature puts them out of reach. With -1 it
// only adds matches to the candidates there are.
void AddressSuggester::Scan(const Query& query, const SegmentMatches& matches,
                            int max_signature_change, CandidateTable& table) const {
  const bool insert = max_signature_change >= 0;
  for (int r = 0; r < matches.range_count; ++r) {
    const SegmentMatches::Range& range = matches.ranges[r];
    const uint32_t fingerprint = CheckWord(range.hash, 0);
    for (uint32_t e = range.begin; e < range.end; ++e) {
      const uint32_t check = entries_[e].check;
      if ((check & ~kSignatureMask) != fingerprint) continue;
      if (insert && CountBits((check ^ query.signature) & kSignatureMask) > max_signature_change) {
        continue;
      }
      table.Mark(entries_[e].id, matches.index, insert);
    }
  }
}

// Looks every candidate up in the ranges, which hold ids in ascending order.
void AddressSuggester::Probe(const SegmentMatches& matches, CandidateTable& table) const {
  for (size_t k = 0; k < table.size(); ++k) {
    const uint32_t id = table.IdAt(k);
    for (int r = 0; r < matches.range_count; ++r) {
      const SegmentMatches::Range& range = matches.ranges[r];
      auto entry =
          std::lower_bound(entries_.begin() + range.begin, entries_.begin() + range.end, id,
                           [](const Entry& e, uint32_t wanted) { return e.id < wanted; });
      const uint32_t fingerprint = CheckWord(range.hash, 0);
      for (; entry != entries_.begin() + range.end && entry->id == id; ++entry) {
        if ((entry->check & ~kSignatureMask) == fingerprint) table.MarkAt(k, matches.index);
      }
    }
  }
}

void AddressSuggester::Verify(Query& query, const Target& target, uint32_t id, Best& best) const {
  const std::string_view key = KeyAt(id);
  // "@domain" at the end (a domain has no '@'), else a hash collision with another domain.
  const size_t suffix = target.domain.size() + 1;
  if (key.size() < suffix || key[key.size() - suffix] != '@' || !key.ends_with(target.domain)) {
    return;
  }
  const int length = Decode(key.substr(0, key.size() - suffix), query.candidate.data());
  if (length < 0) return;
  const int budget = std::min(target.budget, EditBudget(std::min(query.length, length)));
  const int distance = BoundedOsa(query.chars.data(), query.length, query.candidate.data(), length,
                                  budget, query.rows.data());
  if (distance <= budget) best.Offer(target.domain_distance + distance, key);
}

int64_t AddressSuggester::MemoryBytes() const {
  int64_t bytes = static_cast<int64_t>(arena_.capacity() + offsets_.capacity() * sizeof(uint32_t) +
                                       key_slots_.capacity() * sizeof(uint64_t) +
                                       bucket_starts_.capacity() * sizeof(uint32_t) +
                                       entries_.capacity() * sizeof(Entry));
  for (const std::string& domain : organization_domains_) {
    bytes += static_cast<int64_t>(sizeof(std::string) + domain.capacity());
  }
  return bytes;
}

}  // namespace roster::import
