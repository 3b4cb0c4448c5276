#include "cli/demo_data.h"

#include <array>
#include <random>
#include <set>
#include <string>
#include <string_view>

namespace roster::cli {
namespace {

struct Person {
  std::string_view first;
  std::string_view last;
  std::string_view first_ascii;  // the mailbox spelling, as IT departments write it
  std::string_view last_ascii;
  std::string_view language;
  std::string_view gender;
};

// Names from the countries a European company employs in, with the ASCII spelling its
// mail system uses for the mailbox.
constexpr auto kPeople = std::to_array<Person>({
    {"Anna", "Schmidt", "anna", "schmidt", "de", "female"},
    {"Jürgen", "Müller", "juergen", "mueller", "de", "male"},
    {"Sören", "Weiß", "soeren", "weiss", "de", "male"},
    {"Lena", "Hoffmann", "lena", "hoffmann", "de", "female"},
    {"Maximilian", "Schäfer", "maximilian", "schaefer", "de", "male"},
    {"Élodie", "Lefèvre", "elodie", "lefevre", "fr", "female"},
    {"François", "Dubois", "francois", "dubois", "fr", "male"},
    {"Chloé", "Moreau", "chloe", "moreau", "fr", "female"},
    {"Benoît", "Girard", "benoit", "girard", "fr", "male"},
    {"José", "García", "jose", "garcia", "es", "male"},
    {"María", "Fernández", "maria", "fernandez", "es", "female"},
    {"Íñigo", "Martínez", "inigo", "martinez", "es", "male"},
    {"Giulia", "Rossi", "giulia", "rossi", "it", "female"},
    {"Niccolò", "Bianchi", "niccolo", "bianchi", "it", "male"},
    {"João", "Gonçalves", "joao", "goncalves", "pt", "male"},
    {"Beatriz", "Araújo", "beatriz", "araujo", "pt", "female"},
    {"Małgorzata", "Wiśniewska", "malgorzata", "wisniewska", "pl", "female"},
    {"Łukasz", "Kowalski", "lukasz", "kowalski", "pl", "male"},
    {"Zoë", "de Vries", "zoe", "devries", "nl", "female"},
    {"Sven", "Lindqvist", "sven", "lindqvist", "sv", "male"},
    {"Åsa", "Öberg", "asa", "oberg", "sv", "female"},
    {"Søren", "Kierkegaard", "soren", "kierkegaard", "da", "male"},
    {"Ingrid", "Hålland", "ingrid", "halland", "nb", "female"},
    {"Mehmet", "Yılmaz", "mehmet", "yilmaz", "tr", "male"},
    {"Ayşe", "Demir", "ayse", "demir", "tr", "female"},
    {"Dimitrios", "Papadopoulos", "dimitrios", "papadopoulos", "el", "male"},
    {"Olena", "Kovalenko", "olena", "kovalenko", "uk", "female"},
    {"Tomáš", "Dvořák", "tomas", "dvorak", "cs", "male"},
    {"Zsófia", "Nagy", "zsofia", "nagy", "hu", "female"},
    {"Priya", "Sharma", "priya", "sharma", "en", "female"},
    {"Arjun", "Patel", "arjun", "patel", "en", "male"},
    {"Wei", "Zhang", "wei", "zhang", "zh", "other"},
    {"Yuki", "Tanaka", "yuki", "tanaka", "ja", "female"},
    {"Min-jun", "Kim", "minjun", "kim", "ko", "male"},
    {"Fatima", "Al-Sayed", "fatima", "alsayed", "ar", "female"},
    {"Omar", "Haddad", "omar", "haddad", "ar", "male"},
    {"Chidi", "Okafor", "chidi", "okafor", "en", "male"},
    {"Emily", "Johnson", "emily", "johnson", "en", "female"},
    {"Liam", "O'Brien", "liam", "obrien", "en", "male"},
    {"Siobhán", "Ní Bhriain", "siobhan", "nibhriain", "ga", "female"},
});

constexpr auto kDepartments = std::to_array<std::string_view>(
    {"Finance", "Human Resources", "IT", "Sales", "Marketing", "Operations", "Legal",
     "Customer Service", "Research & Development", "Procurement"});
constexpr auto kLocations =
    std::to_array<std::string_view>({"Berlin", "München", "Zürich", "Paris", "Lyon", "Madrid",
                                     "Milano", "Warszawa", "London", "Stockholm", "Wien"});

constexpr size_t kFirstEmployeeId = 100000;

template <typename Array>
const auto& Pick(const Array& array, std::mt19937_64& random) {
  return array[std::uniform_int_distribution<size_t>(0, array.size() - 1)(random)];
}

}  // namespace

Organization DemoOrganization() {
  return Organization{
      0, "demo", "Demo Corporation", "en", {"demo-corp.example", "demo-subsidiary.example"}};
}

std::vector<User> MakeDemoUsers(int count, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::set<std::string> taken;
  std::vector<User> users;
  users.reserve(static_cast<size_t>(count));
  while (static_cast<int>(users.size()) < count) {
    // Mixing two people gives 1,600 name pairs from 40 rows.
    const Person& given = Pick(kPeople, random);
    const Person& family = Pick(kPeople, random);
    bool subsidiary = std::uniform_int_distribution<int>(0, 9)(random) == 0;
    std::string_view domain = subsidiary ? "demo-subsidiary.example" : "demo-corp.example";
    std::string mailbox = std::string(given.first_ascii) + "." + std::string(family.last_ascii);
    std::string email = mailbox + "@" + std::string(domain);
    for (int n = 2; taken.contains(email); ++n) {
      email = mailbox + std::to_string(n) + "@" + std::string(domain);
    }
    taken.insert(email);

    User user;
    user.email = email;
    user.first_name = given.first;
    user.last_name = family.last;
    user.gender = given.gender;
    user.language = given.language;
    user.department = Pick(kDepartments, random);
    user.location = Pick(kLocations, random);
    user.employee_id = "E" + std::to_string(kFirstEmployeeId + users.size());
    if (std::uniform_int_distribution<int>(0, 19)(random) == 0) user.academic_degree = "Dr.";
    users.push_back(std::move(user));
  }
  return users;
}

}  // namespace roster::cli
