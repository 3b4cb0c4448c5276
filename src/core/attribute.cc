#include "core/attribute.h"

#include <algorithm>
#include <array>
#include <cassert>

namespace roster {
namespace {

using Words = std::string_view;

constexpr std::array<Words, 0> kFree{};
constexpr auto kGenders = std::to_array<Words>({"female", "male", "other"});
constexpr auto kAddressTypes = std::to_array<Words>({"single", "group"});

// ISO 639-1, sorted, for binary search.
constexpr auto kIsoLanguages = std::to_array<Words>(
    {"aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh",
     "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da",
     "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr",
     "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz",
     "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj",
     "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln",
     "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb",
     "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi",
     "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk",
     "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti",
     "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo",
     "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu"});

// Never plain "ID": HR exports use it for their own numbers, and mapping it to the Roster ID
// would let an add/update import rewrite the wrong users.
constexpr auto kIdHeaders = std::to_array<Words>({"roster id", "roster-id"});
constexpr auto kEmailHeaders = std::to_array<Words>(
    {"email", "e-mail", "email address", "e-mail address", "mail", "e-mail-adresse", "emailadresse",
     "mailadresse", "e-mail adresse", "courriel", "adresse e-mail", "adresse email",
     "adresse électronique", "adresse mail", "mel", "work email"});
constexpr auto kFirstNameHeaders =
    std::to_array<Words>({"first name", "firstname", "given name", "forename", "vorname", "rufname",
                          "prénom", "prenom", "first"});
constexpr auto kLastNameHeaders =
    std::to_array<Words>({"last name", "lastname", "surname", "family name", "nachname",
                          "familienname", "nom", "nom de famille", "last"});
constexpr auto kGenderHeaders =
    std::to_array<Words>({"gender", "sex", "geschlecht", "anrede", "genre", "sexe"});
constexpr auto kDegreeHeaders = std::to_array<Words>(
    {"academic degree", "degree", "akademischer grad", "titel", "grad", "diplôme"});
constexpr auto kLanguageHeaders =
    std::to_array<Words>({"language", "lang", "sprache", "langue", "locale"});
constexpr auto kAddressTypeHeaders =
    std::to_array<Words>({"address type", "mailbox type", "adresstyp", "postfachtyp",
                          "type d'adresse", "type de boîte"});
constexpr auto kManagerHeaders = std::to_array<Words>(
    {"manager email", "manager", "manager e-mail", "supervisor", "vorgesetzter", "vorgesetzte",
     "führungskraft", "responsable", "e-mail du responsable"});
constexpr auto kDepartmentHeaders = std::to_array<Words>(
    {"department", "dept", "abteilung", "bereich", "département", "service", "team"});
constexpr auto kLocationHeaders = std::to_array<Words>(
    {"location", "office", "site", "standort", "ort", "niederlassung", "lieu"});
constexpr auto kEmployeeIdHeaders =
    std::to_array<Words>({"employee id", "employee number", "personnel number", "personalnummer",
                          "mitarbeiternummer", "matricule", "numéro d'employé", "staff id"});
constexpr auto kGroupHeaders =
    std::to_array<Words>({"groups", "group", "gruppen", "gruppe", "groupes", "groupe"});

constexpr std::array<AttributeSpec, 13> kTable{{
    {Attribute::kRosterId, "id", "Roster ID", false, false, kFree, kIdHeaders,
     "Leave empty for new users. When filled, the user with this ID is updated, which lets "
     "an import change an email address."},
    {Attribute::kEmail, "email", "Email", true, true, kFree, kEmailHeaders,
     "The user's email address; the key that finds the user."},
    {Attribute::kFirstName, "first_name", "First name", true, false, kFree, kFirstNameHeaders,
     "Required when adding users."},
    {Attribute::kLastName, "last_name", "Last name", true, false, kFree, kLastNameHeaders,
     "Required when adding users."},
    {Attribute::kGender, "gender", "Gender", false, false, kGenders, kGenderHeaders,
     "female, male or other (the default)."},
    {Attribute::kAcademicDegree, "academic_degree", "Academic degree", false, false, kFree,
     kDegreeHeaders, "Used in the salutation of messages, for example Dr."},
    {Attribute::kLanguage, "language", "Language", false, false, kFree, kLanguageHeaders,
     "Two-letter ISO 639-1 code such as en, de or fr; empty means the organization's "
     "default."},
    {Attribute::kAddressType, "address_type", "Address type", false, false, kAddressTypes,
     kAddressTypeHeaders, "single (a person, the default) or group (a shared mailbox)."},
    {Attribute::kManagerEmail, "manager_email", "Manager email", false, false, kFree,
     kManagerHeaders, "The email address of the user's manager."},
    {Attribute::kDepartment, "department", "Department", false, false, kFree, kDepartmentHeaders,
     "Free text."},
    {Attribute::kLocation, "location", "Location", false, false, kFree, kLocationHeaders,
     "Free text."},
    {Attribute::kEmployeeId, "employee_id", "Employee ID", false, false, kFree, kEmployeeIdHeaders,
     "The HR system's personnel number."},
    {Attribute::kGroups, "groups", "Groups", false, false, kFree, kGroupHeaders,
     "Group names separated by commas; replaces the user's groups."},
}};

}  // namespace

std::span<const AttributeSpec> AttributeTable() { return kTable; }

const AttributeSpec& SpecOf(Attribute attribute) {
  const auto& spec = kTable[static_cast<size_t>(attribute)];
  assert(spec.attribute == attribute && "kTable must follow the enum's order");
  return spec;
}

std::optional<Attribute> AttributeFromKey(std::string_view key) {
  for (const auto& spec : kTable) {
    if (spec.key == key) return spec.attribute;
  }
  return std::nullopt;
}

bool IsIsoLanguageCode(std::string_view code) {
  return std::binary_search(kIsoLanguages.begin(), kIsoLanguages.end(), code);
}

}  // namespace roster
