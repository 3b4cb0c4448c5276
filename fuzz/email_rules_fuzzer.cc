// libFuzzer harness of the email rules (core/email.h): the input's bytes, as one cell's text,
// go through every public function (CheckEmail, EmailKey, NormalizeDomain, KeyDomain,
// EmailProblemName) and the repairs CheckEmail offers, and the promises of email.h must hold:
//
// - EmailKey agrees with CheckEmail; a valid check has an address and a key and no message or
//   repair; an invalid one has a problem with a name, a message, and no address or key.
// - Normalization is stable: the address of a valid check checks again to itself and the same
//   key, and so does the key ("EmailKey(EmailKey(x)) == EmailKey(x)"), except when case
//   folding made the key longer than an address may be (see CheckValid).
// - Keys are case-insensitive: ASCII upper case in the input changes no key; a key holds no
//   ASCII capital.
// - A key's domain is a normalized domain, and the domain as written normalizes to it.
// - A repair is itself valid and stable ("the repaired address, itself valid").
// - NormalizeDomain is idempotent and gives lower-case ASCII; KeyDomain is a suffix.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/email.h"
#include "harness_check.h"

namespace {

using roster::CheckEmail;
using roster::EmailCheck;
using roster::EmailKey;
using roster::EmailProblem;
using roster::KeyDomain;
using roster::NormalizeDomain;

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    size_t length = 1;
    char32_t value = lead;
    char32_t min = 0;
    if (lead >= 0x80) {
      if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2, value = lead & 0x1F, min = 0x80;
      } else if ((lead & 0xF0) == 0xE0) {
        length = 3, value = lead & 0x0F, min = 0x800;
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4, value = lead & 0x07, min = 0x10000;
      } else {
        return false;
      }
      if (s.size() - i < length) return false;
      for (size_t k = 1; k < length; ++k) {
        const auto next = static_cast<unsigned char>(s[i + k]);
        if ((next & 0xC0) != 0x80) return false;
        value = (value << 6) | (next & 0x3F);
      }
      if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return false;
    }
    i += length;
  }
  return true;
}

std::string AsciiUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool HasAsciiCapital(std::string_view s) {
  return s.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string_view::npos;
}

bool IsDomainKey(std::string_view s) {
  for (const char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
  }
  return !s.empty();
}

std::string Show(std::string_view s) { return "\"" + std::string(s) + "\""; }

void CheckValid(std::string_view raw, const EmailCheck& check) {
  const std::string what = "input " + Show(raw) + " key " + Show(check.key);
  ROSTER_FUZZ_CHECK(!check.address.empty() && !check.key.empty(), what);
  ROSTER_FUZZ_CHECK(check.message.empty() && !check.repaired.has_value(), what);
  ROSTER_FUZZ_CHECK(IsValidUtf8(check.address) && IsValidUtf8(check.key), what);
  ROSTER_FUZZ_CHECK(!HasAsciiCapital(check.key), what);

  const EmailCheck again = CheckEmail(check.address);
  ROSTER_FUZZ_CHECK(again.ok(), what + ": the address is refused: " + again.message);
  ROSTER_FUZZ_CHECK(again.address == check.address && again.key == check.key, what);

  // Lengths are counted on the address as written (email.cc), and case folding can lengthen
  // the local part ("İ", 2 octets, folds to "i̇", 3; "ΐ" to 3 code points): a key may be
  // longer than an address may be, and only then is it refused. Known, reported with
  // issue 7; any other refusal of a key, or a key that changes, is a bug.
  const EmailCheck key_check = CheckEmail(check.key);
  const size_t key_local_octets = check.key.size() - KeyDomain(check.key).size() - 1;
  if (!key_check.ok()) {
    const bool too_long =
        (key_check.problem == EmailProblem::kLocalPartTooLong && key_local_octets > 64) ||
        (key_check.problem == EmailProblem::kAddressTooLong && check.key.size() > 254);
    ROSTER_FUZZ_CHECK(too_long, what + ": the key is refused: " + key_check.message);
  } else {
    ROSTER_FUZZ_CHECK(key_check.key == check.key, what + " rekeyed " + Show(key_check.key));
    ROSTER_FUZZ_CHECK(EmailKey(check.key) == check.key, what);
  }

  const std::string_view domain = KeyDomain(check.key);
  ROSTER_FUZZ_CHECK(IsDomainKey(domain), what);
  ROSTER_FUZZ_CHECK(NormalizeDomain(domain) == domain, what);
  ROSTER_FUZZ_CHECK(NormalizeDomain(KeyDomain(check.address)) == domain, what);

  ROSTER_FUZZ_CHECK(EmailKey(AsciiUpper(raw)) == check.key, what + ": not so in upper case");
}

void CheckInvalid(std::string_view raw, const EmailCheck& check) {
  const std::string what = "input " + Show(raw) + ": " + check.message;
  ROSTER_FUZZ_CHECK(check.problem != EmailProblem::kNone, what);
  ROSTER_FUZZ_CHECK(roster::EmailProblemName(check.problem) != "unknown", what);
  ROSTER_FUZZ_CHECK(!check.message.empty(), what);
  ROSTER_FUZZ_CHECK(check.address.empty() && check.key.empty(), what);
  if (check.repaired) {
    const EmailCheck repaired = CheckEmail(*check.repaired);
    ROSTER_FUZZ_CHECK(repaired.ok(), what + ": the repair " + Show(*check.repaired) +
                                         " is refused: " + repaired.message);
    ROSTER_FUZZ_CHECK(repaired.address == *check.repaired, what);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  const EmailCheck check = CheckEmail(raw);
  const std::optional<std::string> key = EmailKey(raw);
  ROSTER_FUZZ_CHECK(check.ok() == key.has_value(), "EmailKey disagrees with CheckEmail");
  if (check.ok()) {
    ROSTER_FUZZ_CHECK(*key == check.key, "EmailKey disagrees with CheckEmail");
    CheckValid(raw, check);
  } else {
    CheckInvalid(raw, check);
  }

  if (const std::optional<std::string> domain = NormalizeDomain(raw)) {
    ROSTER_FUZZ_CHECK(IsDomainKey(*domain), "NormalizeDomain gave " + Show(*domain));
    ROSTER_FUZZ_CHECK(NormalizeDomain(*domain) == domain, "NormalizeDomain is not stable");
  }
  ROSTER_FUZZ_CHECK(raw.ends_with(KeyDomain(raw)), "KeyDomain is not a suffix");
  return 0;
}
