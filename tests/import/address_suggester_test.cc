#include "import/address_suggester.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace roster::import {
namespace {

const std::string kAcme = "acme-corp.example";

AddressSuggester Build(const std::vector<std::string>& keys,
                       std::vector<std::string> organization_domains = {kAcme}) {
  AddressSuggester::Builder builder(std::move(organization_domains));
  for (const std::string& key : keys) EXPECT_TRUE(builder.Add(key).ok()) << key;
  return std::move(builder).Finish();
}

struct Case {
  std::string written;
  std::optional<std::string> expected;
};

void ExpectSuggestions(const AddressSuggester& suggester, const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    EXPECT_EQ(suggester.Suggest(c.written), c.expected) << c.written;
  }
}

// Deterministic pseudo-random numbers (an LCG): the same keys and queries on every platform.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return state_ >> 33;
  }
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }

 private:
  uint64_t state_;
};

int64_t CodePoints(std::string_view text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

// The rules of the header, applied to every key: what the index must find without scanning.
std::optional<std::string> BruteForceSuggest(const std::vector<std::string>& keys,
                                             const std::vector<std::string>& organization_domains,
                                             const std::string& written) {
  if (std::find(keys.begin(), keys.end(), written) != keys.end()) return std::nullopt;
  const size_t at = written.rfind('@');
  const std::string local = written.substr(0, at);
  const std::string domain = written.substr(at + 1);
  const bool own_domain = std::find(organization_domains.begin(), organization_domains.end(),
                                    domain) != organization_domains.end();
  int best_distance = kMaxSuggestionDistance + 1;
  std::optional<std::string> best;
  for (const std::string& key : keys) {
    const size_t key_at = key.rfind('@');
    const std::string key_local = key.substr(0, key_at);
    const std::string key_domain = key.substr(key_at + 1);
    int domain_distance = 0;
    if (key_domain != domain) {
      const bool key_domain_owned =
          std::find(organization_domains.begin(), organization_domains.end(), key_domain) !=
          organization_domains.end();
      if (own_domain || !key_domain_owned) continue;
      const int budget = std::min(kMaxSuggestionDistance,
                                  EditBudget(std::min(CodePoints(domain), CodePoints(key_domain))));
      std::optional<int> distance = OsaDistance(domain, key_domain, budget);
      if (!distance) continue;
      domain_distance = *distance;
    }
    const int budget = std::min(kMaxSuggestionDistance - domain_distance,
                                EditBudget(std::min(CodePoints(local), CodePoints(key_local))));
    std::optional<int> distance = OsaDistance(local, key_local, budget);
    if (!distance) continue;
    const int total = domain_distance + *distance;
    if (total < best_distance || (total == best_distance && key < *best)) {
      best_distance = total;
      best = key;
    }
  }
  return best;
}

TEST(AddressSuggesterTest, EditBudgetGrowsWithLength) {
  const std::vector<std::pair<int64_t, int>> cases = {{0, 0}, {1, 0}, {2, 0}, {3, 1}, {4, 1},
                                                      {5, 1}, {6, 2}, {7, 2}, {64, 2}};
  for (const auto& [length, budget] : cases) EXPECT_EQ(EditBudget(length), budget) << length;
}

TEST(AddressSuggesterTest, OsaDistanceCountsCodePointsAndAdjacentTranspositions) {
  struct DistanceCase {
    std::string a;
    std::string b;
    int max_distance;
    std::optional<int> distance;
  };
  const std::vector<DistanceCase> cases = {
      {"", "", 0, 0},
      {"anna", "anna", 0, 0},
      {"anna", "", 4, 4},
      {"anna", "", 3, std::nullopt},
      {"anna", "anne", 2, 1},
      {"anna", "nana", 2, 1},  // one transposition
      {"anna", "anan", 0, std::nullopt},
      {"ca", "abc", 3, 3},  // OSA edits no substring twice (true Damerau says 2)
      {"ca", "abc", 2, std::nullopt},
      {"müller", "muller", 2, 1},  // one code point, two bytes
      {"müller", "mueller", 2, 2},
      {"straße", "strasse", 2, 2},
      {"äö", "öä", 1, 1},
      {"\xFF", "a", 1, 1},  // a byte that is not UTF-8 is one character
      {"\xFF\xFE", "\xFE\xFF", 1, 1},
      {"schmidt", "schmitd", 1, 1},
      {"schmidt", "shcmitd", 2, 2},
      {"schmidt", "shcmidtxy", 2, std::nullopt},
      {"anna", "anna", -1, std::nullopt},
      {std::string(300, 'a'), std::string(299, 'a') + "b", 2, 1},  // past the stack buffers
  };
  for (const DistanceCase& c : cases) {
    EXPECT_EQ(OsaDistance(c.a, c.b, c.max_distance), c.distance) << c.a << " / " << c.b;
    EXPECT_EQ(OsaDistance(c.b, c.a, c.max_distance), c.distance) << c.b << " / " << c.a;
  }
}

TEST(AddressSuggesterTest, OneEditAtStartMiddleAndEnd) {
  const std::string anna = "anna.schmidt@" + kAcme;
  const AddressSuggester suggester = Build({anna, "peter.mueller@" + kAcme, "jana.meier@" + kAcme});
  const std::vector<std::string> written = {
      "enna.schmidt",  "anna.schmodt",  "anna.schmidr",   // substitution
      "xanna.schmidt", "anna.schhmidt", "anna.schmidtt",  // insertion
      "nna.schmidt",   "anna.schmdt",   "anna.schmid",    // deletion
      "nana.schmidt",  "anna.shcmidt",  "anna.schmitd",   // transposition
  };
  for (const std::string& local : written) {
    EXPECT_EQ(suggester.Suggest(local + "@" + kAcme), anna) << local;
  }
}

TEST(AddressSuggesterTest, TwoEditsAreFoundAndThreeAreNot) {
  const std::string anna = "anna.schmidt@" + kAcme;
  const AddressSuggester suggester = Build({anna, "peter.mueller@" + kAcme});
  ExpectSuggestions(suggester, {
                                   {"enna.schmidd@" + kAcme, anna},    // two substitutions
                                   {"anna.shcmitd@" + kAcme, anna},    // two transpositions
                                   {"anna-schmit@" + kAcme, anna},     // substitution, deletion
                                   {"annaschmidtt@" + kAcme, anna},    // deletion, insertion
                                   {"nana.schmidtt@" + kAcme, anna},   // transposition, insertion
                                   {"anna.schmidt42@" + kAcme, anna},  // two insertions
                                   {"ana.schmit@" + kAcme, anna},      // two deletions
                                   {"enna.schmodr@" + kAcme, std::nullopt},
                                   {"anna.schmidt123@" + kAcme, std::nullopt},
                                   {"nana.shcmitd@" + kAcme, std::nullopt},
                                   {"a.schmidt@" + kAcme, std::nullopt},
                               });
}

TEST(AddressSuggesterTest, AnotherDomainOnlyThroughTheDomainTypoRule) {
  const std::string anna = "anna.schmidt@" + kAcme;
  const AddressSuggester suggester = Build({anna, "anna@" + kAcme});
  ExpectSuggestions(suggester, {
                                   {"anna.schmidt@other.example", std::nullopt},
                                   {"anna.schmidt@acme.example", std::nullopt},  // 5 edits away
                                   {"anna.schmidt@acme-crop.example", anna},
                                   {"anna@acme-crop.example", "anna@" + kAcme},
                                   {"anna@acmecorp.example", "anna@" + kAcme},
                                   {"anna@acme-corp.exmaple", "anna@" + kAcme},
                                   {"anna@acme-corp.examples", "anna@" + kAcme},
                                   {"anna@acme-crop.exmaple", "anna@" + kAcme},  // 2 in domain
                                   {"anna@acme-crpo.exmaple.x", std::nullopt},
                                   {"anna.schmdit@acme-crop.example", anna},          // 1 + 1
                                   {"anna.schmdit@acme-crop.exmaple", std::nullopt},  // 1 + 2
                                   {"ana@acme-crop.example", "anna@" + kAcme},
                                   {"ana@acme-crop.exmaple", std::nullopt},
                                   {"bert@acme-crop.example", std::nullopt},
                               });
}

TEST(AddressSuggesterTest, DomainTypoAmongSeveralOrganizationDomains) {
  const AddressSuggester suggester = Build(
      {"anna@" + kAcme, "anna@acme.de", "ben@acme.de", "carl@legacy.example"}, {kAcme, "acme.de"});
  ExpectSuggestions(suggester, {
                                   {"anna@acme.dee", "anna@acme.de"},
                                   {"anna@acme.d", "anna@acme.de"},
                                   {"anna@acme-corp.exampel", "anna@" + kAcme},
                                   {"ben@acme-corp.exampel", std::nullopt},
                                   {"ben@acmme.de", "ben@acme.de"},
                                   // Not an organization domain: never a typo target.
                                   {"carl@legacy.exampel", std::nullopt},
                                   // But its keys are found under their own domain.
                                   {"carll@legacy.example", "carl@legacy.example"},
                               });
}

TEST(AddressSuggesterTest, CorrectlyWrittenOwnDomainIsNeverSwapped) {
  const AddressSuggester suggester = Build({"anna@acme.at"}, {"acme.at", "acme.de"});
  ExpectSuggestions(suggester, {
                                   {"anna@acme.de", std::nullopt},
                                   {"anna@acme.dx", "anna@acme.at"},
                               });
}

TEST(AddressSuggesterTest, TiesGoToTheSmallestDistanceThenTheSmallestKey) {
  ExpectSuggestions(Build({"jana.meier@" + kAcme, "jana.mayer@" + kAcme}),
                    {{"jana.meyer@" + kAcme, "jana.mayer@" + kAcme}});
  ExpectSuggestions(Build({"jana.mayer@" + kAcme, "jana.meier@" + kAcme}),  // order-free
                    {{"jana.meyer@" + kAcme, "jana.mayer@" + kAcme}});
  // Byte order of whole keys: '1' sorts before '@'.
  ExpectSuggestions(Build({"anna.schmidt@" + kAcme, "anna.schmidt12@" + kAcme}),
                    {{"anna.schmidt1@" + kAcme, "anna.schmidt12@" + kAcme}});
  ExpectSuggestions(Build({"abba.schmidt@" + kAcme, "zanna.schmidt@" + kAcme}),
                    {{"anna.schmidt@" + kAcme, "zanna.schmidt@" + kAcme}});
  // A tie between a same-domain neighbour and a domain typo.
  ExpectSuggestions(Build({"anna@" + kAcme, "anne@acme-crop.example"}),
                    {{"anna@acme-crop.example", "anna@" + kAcme}});
  ExpectSuggestions(Build({"anna@" + kAcme, "annaa@acme-crop.example"}),
                    {{"anna@acme-crop.example", "anna@" + kAcme}});
  // A domain typo loses to a nearer same-domain key.
  ExpectSuggestions(Build({"anna.schmidt@" + kAcme, "anna.schmidt@acme-crop.exampl"}),
                    {{"anna.schmidtt@acme-crop.exampl", "anna.schmidt@acme-crop.exampl"}});
}

TEST(AddressSuggesterTest, EmptySetSuggestsNothing) {
  const AddressSuggester suggester = Build({});
  EXPECT_EQ(suggester.size(), 0u);
  EXPECT_FALSE(suggester.Contains("anna@" + kAcme));
  EXPECT_EQ(suggester.Suggest("anna@" + kAcme), std::nullopt);
  EXPECT_EQ(suggester.Suggest("anna@acme-crop.example"), std::nullopt);
}

TEST(AddressSuggesterTest, ExistingKeyGetsNoSuggestion) {
  const AddressSuggester suggester = Build({"anna.schmidt@" + kAcme, "anna.schmidt1@" + kAcme});
  EXPECT_TRUE(suggester.Contains("anna.schmidt@" + kAcme));
  EXPECT_FALSE(suggester.Contains("anna.schmidt2@" + kAcme));
  EXPECT_FALSE(suggester.Contains("ANNA.SCHMIDT@" + kAcme));  // keys are compared byte-wise
  EXPECT_EQ(suggester.Suggest("anna.schmidt@" + kAcme), std::nullopt);
  EXPECT_EQ(suggester.Suggest("anna.schmidt2@" + kAcme), "anna.schmidt1@" + kAcme);
}

TEST(AddressSuggesterTest, DuplicateKeysAreKeptOnce) {
  const AddressSuggester suggester = Build({"anna@" + kAcme, "ben@" + kAcme, "anna@" + kAcme});
  EXPECT_EQ(suggester.size(), 2u);
  EXPECT_EQ(suggester.Suggest("annna@" + kAcme), "anna@" + kAcme);
}

TEST(AddressSuggesterTest, ShortLocalPartsAllowFewerEdits) {
  struct ShortCase {
    std::vector<std::string> keys;
    std::string written;
    std::optional<std::string> expected;
  };
  const std::vector<ShortCase> cases = {
      {{"b@x.example"}, "a@x.example", std::nullopt},         // 1 code point: no edit
      {{"jo@x.example"}, "jp@x.example", std::nullopt},       // 2: no edit
      {{"ann@x.example"}, "anm@x.example", "ann@x.example"},  // 3: one edit
      {{"ann@x.example"}, "an@x.example", std::nullopt},      // the shorter one counts
      {{"an@x.example"}, "ann@x.example", std::nullopt},
      {{"anna@x.example"}, "anan@x.example", "anna@x.example"},
      {{"emma@x.example"}, "anna@x.example", std::nullopt},  // 4: not two edits
      {{"anna@x.example"}, "annabe@x.example", std::nullopt},
      {{"abcde@x.example"}, "abcxy@x.example", std::nullopt},
      {{"abcdef@x.example"}, "abcdxy@x.example", "abcdef@x.example"},  // 6: two edits
      {{"annabel@x.example"}, "anabell@x.example", "annabel@x.example"},
      {{"a@" + kAcme}, "a@acme-crop.example", "a@" + kAcme},  // the domain rule still applies
      {{"jo@" + kAcme}, "jo@acmecorp.example", "jo@" + kAcme},
      {{"jo@" + kAcme}, "jp@acmecorp.example", std::nullopt},
      {{"a@" + kAcme}, "@" + kAcme, std::nullopt},
  };
  for (const ShortCase& c : cases) {
    EXPECT_EQ(Build(c.keys).Suggest(c.written), c.expected) << c.written;
  }
}

TEST(AddressSuggesterTest, NonAsciiLocalPartsCountCodePoints) {
  struct UnicodeCase {
    std::vector<std::string> keys;
    std::string written;
    std::optional<std::string> expected;
  };
  const std::vector<UnicodeCase> cases = {
      {{"müller@x.example"}, "muller@x.example", "müller@x.example"},
      {{"müller@x.example"}, "mueller@x.example", "müller@x.example"},
      {{"muller@x.example"}, "müller@x.example", "muller@x.example"},
      {{"straße@x.example"}, "strasse@x.example", "straße@x.example"},
      {{"josé@x.example"}, "jose@x.example", "josé@x.example"},  // 4 code points, 5 bytes
      {{"zoë@x.example"}, "zoe@x.example", "zoë@x.example"},
      {{"łukasz.wiśniewski@x.example"},
       "lukasz.wisniewski@x.example",
       "łukasz.wiśniewski@x.example"},
      {{"łukasz.wiśniewski@x.example"}, "lukasz.wisniewsky@x.example", std::nullopt},
      {{"δημήτρης@x.example"}, "δημητρης@x.example", "δημήτρης@x.example"},
      {{"δημήτρης@x.example"}, "dimitris@x.example", std::nullopt},
  };
  for (const UnicodeCase& c : cases) {
    EXPECT_EQ(Build(c.keys).Suggest(c.written), c.expected) << c.written;
  }
}

TEST(AddressSuggesterTest, KeyBytesBeyondTheLimitAreRefused) {
  AddressSuggester::Builder builder({kAcme}, 10);
  EXPECT_TRUE(builder.Add("a@b.c").ok());
  EXPECT_TRUE(builder.Add("a@b.c").ok());  // a duplicate costs nothing
  const Status status = builder.Add("bb@b.cd");
  EXPECT_EQ(status.code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(status.message(),
            "The organization's addresses take more than 10 bytes, the limit of the "
            "suggestion index.");
  EXPECT_TRUE(builder.Add("b@b.c").ok());
  const AddressSuggester suggester = std::move(builder).Finish();
  EXPECT_EQ(suggester.size(), 2u);
  EXPECT_TRUE(suggester.Contains("b@b.c"));
  EXPECT_FALSE(suggester.Contains("bb@b.cd"));
  EXPECT_GT(suggester.MemoryBytes(), 0);
}

// Dense keys from a tiny alphabet (ASCII and two-byte letters), so that most queries have
// neighbours at every distance and the filter's edge cases are met; the index must agree with
// the rules applied to every key.
TEST(AddressSuggesterTest, AgreesWithBruteForceOnDenseKeys) {
  const std::vector<std::string> letters = {"a", "b", "c", ".", "ü"};
  const std::vector<std::string> domains = {kAcme, "acme.de", "old.example"};
  const std::vector<std::string> organization_domains = {kAcme, "acme.de"};
  Random random(42);
  auto random_local = [&] {
    std::string local;
    const size_t length = 1 + random.Below(14);
    for (size_t i = 0; i < length; ++i) local += letters[random.Below(letters.size())];
    return local;
  };
  std::set<std::string> unique;
  while (unique.size() < 1500) {
    unique.insert(random_local() + "@" + domains[random.Below(domains.size())]);
  }
  const std::vector<std::string> keys(unique.begin(), unique.end());
  const AddressSuggester suggester = Build(keys, organization_domains);
  ASSERT_EQ(suggester.size(), keys.size());

  const std::vector<std::string> written_domains = {
      kAcme,    "acme.de", "old.example", "acme-crop.example", "acmecorp.exampel",
      "acme.d", "acm.dd",  "old.exampel", "acme-corp.exmaple"};
  auto mutate = [&](std::string local) {
    std::vector<std::string> chars;  // code points, so that edits never split a letter
    for (size_t i = 0; i < local.size();) {
      const size_t size = (static_cast<unsigned char>(local[i]) >= 0x80) ? 2 : 1;
      chars.push_back(local.substr(i, size));
      i += size;
    }
    const size_t edits = random.Below(4);
    for (size_t e = 0; e < edits; ++e) {
      const size_t position = random.Below(chars.size() + 1);
      const std::string& letter = letters[random.Below(letters.size())];
      switch (random.Below(4)) {
        case 0: chars.insert(chars.begin() + static_cast<int64_t>(position), letter); break;
        case 1:
          if (position < chars.size()) chars.erase(chars.begin() + static_cast<int64_t>(position));
          break;
        case 2:
          if (position < chars.size()) chars[position] = letter;
          break;
        default:
          if (position + 1 < chars.size()) std::swap(chars[position], chars[position + 1]);
      }
    }
    std::string result;
    for (const std::string& c : chars) result += c;
    return result;
  };
  int suggested = 0;
  for (int i = 0; i < 1200; ++i) {
    const std::string& key = keys[random.Below(keys.size())];
    const std::string local = key.substr(0, key.rfind('@'));
    const std::string written =
        mutate(local) + "@" + written_domains[random.Below(written_domains.size())];
    const std::optional<std::string> expected =
        BruteForceSuggest(keys, organization_domains, written);
    EXPECT_EQ(suggester.Suggest(written), expected) << written;
    if (expected) ++suggested;
  }
  EXPECT_GT(suggested, 300);  // the comparison is not vacuous (344 with this seed)
}

std::vector<std::string> GeneratedKeys(size_t count, uint64_t seed) {
  const std::vector<std::string> first = {"anna",  "ben",  "clara", "david", "emma",  "felix",
                                          "greta", "hans", "ida",   "jonas", "karin", "lukas",
                                          "marie", "noah", "olga",  "paul"};
  const std::vector<std::string> last = {"schmidt",    "mueller", "meier",   "schulz",   "fischer",
                                         "weber",      "wagner",  "becker",  "hoffmann", "koch",
                                         "richter",    "klein",   "wolf",    "neumann",  "schwarz",
                                         "zimmermann", "braun",   "krueger", "hartmann", "lange"};
  Random random(seed);
  std::set<std::string> keys;
  while (keys.size() < count) {
    keys.insert(first[random.Below(first.size())] + "." + last[random.Below(last.size())] +
                std::to_string(random.Below(1000)) + "@" + kAcme);
  }
  return {keys.begin(), keys.end()};
}

// Name-like keys share long first names and last names, so some segment lists are long and
// others short: the paths that scan, probe and filter by character classes all run.
TEST(AddressSuggesterTest, AgreesWithBruteForceOnNameLikeKeys) {
  const std::vector<std::string> keys = GeneratedKeys(4000, 5);
  const AddressSuggester suggester = Build(keys);
  Random random(9);
  const std::string letters = "abehimnrst0123456789.";
  auto edit = [&](std::string local) {
    const size_t position = random.Below(local.size());
    const char letter = letters[random.Below(letters.size())];
    switch (random.Below(4)) {
      case 0: local[position] = letter; break;
      case 1: local.insert(position, 1, letter); break;
      case 2: local.erase(position, 1); break;
      default:
        if (position + 1 < local.size()) std::swap(local[position], local[position + 1]);
    }
    return local;
  };
  const std::vector<std::string> domains = {kAcme, "acme-crop.example", "acme-corp.exampel"};
  int suggested = 0;
  for (int i = 0; i < 300; ++i) {
    const std::string& key = keys[random.Below(keys.size())];
    std::string local = key.substr(0, key.find('@'));
    for (size_t edits = 1 + random.Below(3); edits > 0; --edits) local = edit(local);
    const std::string written = local + "@" + domains[random.Below(domains.size())];
    const std::optional<std::string> expected = BruteForceSuggest(keys, {kAcme}, written);
    EXPECT_EQ(suggester.Suggest(written), expected) << written;
    if (expected) ++suggested;
  }
  EXPECT_GT(suggested, 150);
}

// Ids follow the order of Add(), ties are broken by key: the answer may not depend on it.
TEST(AddressSuggesterTest, AnswersDoNotDependOnTheOrderOfAdding) {
  const std::vector<std::string> sorted = GeneratedKeys(3000, 13);
  std::vector<std::string> shuffled = sorted;
  Random random(17);
  for (size_t i = shuffled.size() - 1; i > 0; --i)
    std::swap(shuffled[i], shuffled[random.Below(i + 1)]);
  const AddressSuggester from_sorted = Build(sorted);
  const AddressSuggester from_shuffled = Build(shuffled);
  int suggested = 0;
  for (size_t i = 0; i < sorted.size(); i += 10) {
    for (const std::string& written : {"x" + sorted[i], sorted[i].substr(1), "xy" + sorted[i]}) {
      const std::optional<std::string> suggestion = from_sorted.Suggest(written);
      EXPECT_EQ(from_shuffled.Suggest(written), suggestion) << written;
      if (suggestion) ++suggested;
    }
  }
  EXPECT_GT(suggested, 600);
}

TEST(AddressSuggesterTest, WorksAtOneHundredThousandKeys) {
  const std::vector<std::string> keys = GeneratedKeys(100000, 7);
  AddressSuggester::Builder builder({kAcme});
  for (const std::string& key : keys) ASSERT_TRUE(builder.Add(key).ok());
  const AddressSuggester suggester = std::move(builder).Finish();
  ASSERT_EQ(suggester.size(), 100000u);
  for (size_t i = 0; i < keys.size(); i += 997) EXPECT_TRUE(suggester.Contains(keys[i]));
  for (size_t i = 0; i < keys.size(); i += 997) EXPECT_EQ(suggester.Suggest(keys[i]), std::nullopt);

  Random random(11);
  for (int i = 0; i < 8; ++i) {
    std::string written = keys[random.Below(keys.size())];
    written.insert(random.Below(written.find('@') + 1), "q");
    const bool domain_typo = i % 2 == 1;
    if (domain_typo) written.replace(written.find("-corp"), 5, "-crop");
    EXPECT_EQ(suggester.Suggest(written), BruteForceSuggest(keys, {kAcme}, written)) << written;
  }
  // Known answers, pinned: a transposition, a domain typo, and a stranger.
  const std::string& some = keys[12345];
  std::string swapped = some;
  std::swap(swapped[1], swapped[2]);
  if (!suggester.Contains(swapped)) {
    EXPECT_EQ(suggester.Suggest(swapped), BruteForceSuggest(keys, {kAcme}, swapped));
  }
  EXPECT_EQ(suggester.Suggest(some.substr(0, some.find('@')) + "@acmecorp.example"), some);
  EXPECT_EQ(suggester.Suggest("xyzzy.qwerty@" + kAcme), std::nullopt);
}

TEST(AddressSuggesterTest, SuggestIsSafeFromSeveralThreads) {
  const std::vector<std::string> keys = GeneratedKeys(2000, 3);
  const AddressSuggester suggester = Build(keys);
  std::vector<std::string> queries;
  for (const std::string& key : keys) queries.push_back("x" + key);
  std::vector<std::optional<std::string>> expected;
  for (const std::string& query : queries) expected.push_back(suggester.Suggest(query));
  std::vector<int> mismatches(2, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = 0; i < queries.size(); ++i) {
        if (suggester.Suggest(queries[i]) != expected[i]) ++mismatches[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches, std::vector<int>({0, 0}));
}

}  // namespace
}  // namespace roster::import
