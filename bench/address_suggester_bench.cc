// AddressSuggester at the scale of a large organization: building over 1,000,000 keys like
// firstname.lastnameNN@acme-corp.example, its memory, and queries per second for written keys
// with one typo, two typos, a domain typo, and no neighbour at all. Deterministic: the keys and
// queries come from a fixed seed.
//
//   address_suggester_bench --benchmark_counters_tabular=true

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "import/address_suggester.h"

namespace roster::import {
namespace {

constexpr size_t kKeyCount = 1000000;
constexpr size_t kQueryCount = 20000;
constexpr uint64_t kSeed = 20240601;
const std::string kDomain = "acme-corp.example";

constexpr std::array kFirstNames = {
    "anna",         "ben",       "clara",     "david",    "emma",    "felix",     "greta",
    "hans",         "ida",       "jonas",     "karin",    "lukas",   "marie",     "noah",
    "olga",         "paul",      "quentin",   "rosa",     "stefan",  "tina",      "uwe",
    "vera",         "walter",    "xenia",     "yannick",  "zoe",     "alexander", "birgit",
    "christian",    "doris",     "elias",     "frieda",   "georg",   "hanna",     "ingrid",
    "jakob",        "katharina", "leon",      "mia",      "niklas",  "oskar",     "petra",
    "ralf",         "sophie",    "thomas",    "ursula",   "viktor",  "wilhelm",   "jean",
    "marie-claire", "pierre",    "camille",   "louis",    "chloe",   "hugo",      "lea",
    "james",        "mary",      "john",      "patricia", "robert",  "jennifer",  "michael",
    "linda",        "william",   "elizabeth", "richard",  "barbara", "joseph",    "susan",
    "charles",      "jessica",   "matteo",    "giulia",   "lorenzo", "sofia",     "mateusz",
    "zofia",        "jan",       "eva",       "adrian",   "bettina", "carsten",   "daniela",
    "erik",         "fabian",    "gabriele",  "heinz",    "isabel",  "julia",     "kevin",
    "laura",        "markus",    "nina",      "oliver",   "pia",     "rene",      "sabine",
    "tobias",       "ulrike",    "valentin",  "wiebke",   "anton",   "bernd",     "carla",
    "dennis",       "elena",     "florian",   "hannes",   "helga",   "jens",      "kerstin",
    "lars",         "monika",    "nils",      "otto",     "philipp", "renate",    "simon",
    "tanja",
};
constexpr std::array kLastNames = {
    "schmidt",  "mueller",    "meier",    "schulz",     "fischer",  "weber",       "wagner",
    "becker",   "hoffmann",   "koch",     "richter",    "klein",    "wolf",        "neumann",
    "schwarz",  "zimmermann", "braun",    "krueger",    "hartmann", "lange",       "werner",
    "krause",   "lehmann",    "koehler",  "herrmann",   "walter",   "mayer",       "huber",
    "kaiser",   "fuchs",      "peters",   "lang",       "scholz",   "moeller",     "weiss",
    "jung",     "hahn",       "vogel",    "friedrich",  "keller",   "guenther",    "frank",
    "berger",   "winkler",    "roth",     "beck",       "lorenz",   "baumann",     "franke",
    "albrecht", "martin",     "bernard",  "dubois",     "thomas",   "robert",      "richard",
    "petit",    "durand",     "leroy",    "moreau",     "simon",    "laurent",     "lefebvre",
    "michel",   "garcia",     "david",    "bertrand",   "roux",     "vincent",     "fournier",
    "smith",    "johnson",    "williams", "brown",      "jones",    "miller",      "davis",
    "wilson",   "anderson",   "taylor",   "moore",      "jackson",  "white",       "harris",
    "rossi",    "russo",      "ferrari",  "esposito",   "bianchi",  "romano",      "colombo",
    "nowak",    "kowalski",   "wojcik",   "kowalczyk",  "kaminski", "lewandowski", "novak",
    "schaefer", "schneider",  "schmitz",  "schumacher", "graf",     "dietrich",    "engel",
    "kuhn",     "pohl",       "busch",    "bauer",      "kraus",    "boehm",       "schubert",
    "seidel",   "ludwig",     "sommer",   "haas",       "heinrich", "brandt",      "schreiber",
    "otto",     "schulte",    "jaeger",   "stein",      "zimmer",   "vogt",        "ziegler",
    "kuehn",    "pfeiffer",   "voigt",    "schuster",   "arnold",   "kraft",       "wendt",
    "maier",    "schroeder",  "hofmann",  "lindner",    "ernst",    "hermann",     "marx",
    "horn",     "busse",      "thiel",    "ebert",      "sauer",    "kramer",      "gross",
};
constexpr std::string_view kTypoLetters = "abcdefghijklmnopqrstuvwxyz0123456789.";

class Generator {
 public:
  explicit Generator(uint64_t seed) : random_(seed) {}

  size_t Below(size_t n) { return static_cast<size_t>(random_() % n); }

  std::string Key() {
    std::string key = kFirstNames[Below(kFirstNames.size())];
    key += '.';
    key += kLastNames[Below(kLastNames.size())];
    const size_t number = Below(100);
    key += static_cast<char>('0' + number / 10);
    key += static_cast<char>('0' + number % 10);
    return key + "@" + kDomain;
  }

  // One random edit (substitution, insertion, deletion or adjacent transposition) of the local
  // part.
  std::string Edit(std::string key) {
    const size_t at = key.find('@');
    const size_t position = Below(at);
    const char letter = kTypoLetters[Below(kTypoLetters.size())];
    switch (Below(4)) {
      case 0: key[position] = letter; break;
      case 1: key.insert(key.begin() + static_cast<int64_t>(position), letter); break;
      case 2: key.erase(position, 1); break;
      default:
        if (position + 1 < at)
          std::swap(key[position], key[position + 1]);
        else
          key[position] = letter;
    }
    return key;
  }

  // A local part of random letters, as long as the generated ones: nothing near it.
  std::string Stranger() {
    std::string local;
    const size_t length = 12 + Below(9);
    for (size_t i = 0; i < length; ++i) local += static_cast<char>('a' + Below(26));
    return local + "@" + kDomain;
  }

 private:
  std::mt19937_64 random_;
};

struct Fixture {
  std::vector<std::string> keys;
  std::vector<std::string> one_typo;
  std::vector<std::string> two_typos;
  std::vector<std::string> domain_typo;
  std::vector<std::string> no_neighbour;
  std::unique_ptr<AddressSuggester> suggester;         // keys added in random order
  std::unique_ptr<AddressSuggester> sorted_suggester;  // in key order, as a store's index gives
};

AddressSuggester BuildSuggester(const std::vector<std::string>& keys) {
  AddressSuggester::Builder builder({kDomain});
  for (const std::string& key : keys) {
    if (!builder.Add(key).ok()) std::abort();  // under the 4 GiB limit by far
  }
  return std::move(builder).Finish();
}

const Fixture& SharedFixture() {
  static const Fixture* fixture = [] {
    auto* f = new Fixture();
    Generator generator(kSeed);
    std::unordered_set<std::string> seen;
    while (f->keys.size() < kKeyCount) {
      std::string key = generator.Key();
      if (seen.insert(key).second) f->keys.push_back(std::move(key));
    }
    f->suggester = std::make_unique<AddressSuggester>(BuildSuggester(f->keys));
    std::vector<std::string> sorted = f->keys;
    std::sort(sorted.begin(), sorted.end());
    f->sorted_suggester = std::make_unique<AddressSuggester>(BuildSuggester(sorted));
    auto typo = [&](int edits) {
      for (;;) {
        std::string written = f->keys[generator.Below(f->keys.size())];
        for (int i = 0; i < edits; ++i) written = generator.Edit(written);
        if (!f->suggester->Contains(written)) return written;
      }
    };
    for (size_t i = 0; i < kQueryCount; ++i) {
      f->one_typo.push_back(typo(1));
      f->two_typos.push_back(typo(2));
      std::string domain_typo = f->keys[generator.Below(f->keys.size())];
      domain_typo.replace(domain_typo.find("-corp"), 5, "-crop");
      f->domain_typo.push_back(std::move(domain_typo));
      f->no_neighbour.push_back(generator.Stranger());
    }
    return f;
  }();
  return *fixture;
}

void BM_Build(benchmark::State& state) {
  const Fixture& fixture = SharedFixture();
  int64_t bytes = 0;
  for (auto _ : state) {
    AddressSuggester suggester = BuildSuggester(fixture.keys);
    bytes = suggester.MemoryBytes();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["keys"] = static_cast<double>(fixture.keys.size());
  state.counters["bytes_per_key"] =
      static_cast<double>(bytes) / static_cast<double>(fixture.keys.size());
  state.counters["MiB"] = static_cast<double>(bytes) / (1024.0 * 1024.0);
}
BENCHMARK(BM_Build)->Unit(benchmark::kMillisecond)->Iterations(3);

void RunQueries(benchmark::State& state, const std::vector<std::string>& queries,
                bool sorted = false) {
  const AddressSuggester& suggester =
      sorted ? *SharedFixture().sorted_suggester : *SharedFixture().suggester;
  size_t next = 0;
  int64_t suggested = 0;
  for (auto _ : state) {
    std::optional<std::string> suggestion = suggester.Suggest(queries[next]);
    suggested += suggestion.has_value();
    benchmark::DoNotOptimize(suggestion);
    if (++next == queries.size()) next = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["suggested_share"] =
      static_cast<double>(suggested) / static_cast<double>(state.iterations());
}

void BM_SuggestOneTypo(benchmark::State& state) { RunQueries(state, SharedFixture().one_typo); }
void BM_SuggestTwoTypos(benchmark::State& state) { RunQueries(state, SharedFixture().two_typos); }
void BM_SuggestDomainTypo(benchmark::State& state) {
  RunQueries(state, SharedFixture().domain_typo);
}
void BM_SuggestNoNeighbour(benchmark::State& state) {
  RunQueries(state, SharedFixture().no_neighbour);
}
void BM_SuggestExistingKey(benchmark::State& state) { RunQueries(state, SharedFixture().keys); }
void BM_SuggestOneTypoSortedKeys(benchmark::State& state) {
  RunQueries(state, SharedFixture().one_typo, /*sorted=*/true);
}
void BM_SuggestTwoTyposSortedKeys(benchmark::State& state) {
  RunQueries(state, SharedFixture().two_typos, /*sorted=*/true);
}
BENCHMARK(BM_SuggestOneTypo)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SuggestTwoTypos)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SuggestDomainTypo)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SuggestNoNeighbour)->Unit(benchmark::kMicrosecond);
// Existing keys: Suggest() answers "nothing" after one exact lookup.
BENCHMARK(BM_SuggestExistingKey)->Unit(benchmark::kMicrosecond);
// The same queries when the keys were added in sorted order.
BENCHMARK(BM_SuggestOneTypoSortedKeys)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SuggestTwoTyposSortedKeys)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace roster::import

BENCHMARK_MAIN();
