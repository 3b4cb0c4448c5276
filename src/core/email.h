#pragma once

// Email rules: validation with a reason a person understands, and normalization to the
// matching key. Matching in Roster is exact after normalization (DESIGN.md section 2): trim,
// Unicode NFC, case-insensitive, IDN domains in their ASCII (punycode) form. Never fuzzy.
// Plus-addressing and quoted local parts are valid and never rewritten.
// All functions are pure and thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace roster {

enum class EmailProblem {
  kNone,
  kEmpty,               // nothing but white space
  kInvalidUtf8,         // bytes that are not UTF-8
  kMailtoPrefix,        // "mailto:anna@example.com"
  kDisplayName,         // "Anna Schmidt <anna@example.com>"
  kWhitespace,          // a space or control character inside the address
  kMissingAt,           // "anna.example.com"
  kMultipleAt,          // "anna@@example.com", "anna@x@example.com"
  kEmptyLocalPart,      // "@example.com"
  kEmptyDomain,         // "anna@"
  kLeadingDot,          // ".anna@example.com"
  kTrailingDot,         // "anna.@example.com", "anna@example.com."
  kConsecutiveDots,     // "anna..schmidt@example.com", "anna@example..com"
  kInvalidCharacter,    // a character not allowed unquoted in the local part, e.g. "anna,s@"
  kUnclosedQuote,       // "\"anna@example.com"
  kInvalidDomainLabel,  // "anna@-example.com", "anna@exa_mple.com", a label over 63 octets
  kDomainWithoutDot,    // "anna@localhost"
  kLocalPartTooLong,    // over 64 octets (RFC 5321 4.5.3.1.1)
  kDomainTooLong,       // over 255 octets (RFC 5321 4.5.3.1.2), counted in ASCII form
  kAddressTooLong,      // over 254 octets in all (RFC 5321 path limit less the brackets)
};

// The stable name of a problem, for JSON and tests: "missing_at", "trailing_dot", ...
std::string_view EmailProblemName(EmailProblem problem);

struct EmailCheck {
  EmailProblem problem = EmailProblem::kNone;
  // When valid: the address as written, trimmed and NFC-normalized.
  std::string address;
  // When valid: the matching key (local part case-folded, domain lower-case punycode).
  std::string key;
  // When invalid: what is wrong and how to fix it, for an admin ("The address has no @.
  // Write it as name@company.com.").
  std::string message;
  // When invalid but plainly repairable (mailto: prefix, "Name <address>", inner spaces,
  // a trailing dot): the repaired address, itself valid. Offered, never applied unasked.
  std::optional<std::string> repaired;

  bool ok() const { return problem == EmailProblem::kNone; }
};

// Checks one address as an admin typed it.
EmailCheck CheckEmail(std::string_view raw);

// The matching key of `raw`, or nothing when it is not a valid address.
std::optional<std::string> EmailKey(std::string_view raw);

// An organization's domain as stored and compared: trimmed, lower-case, IDN in punycode
// ("Bücher.example" -> "xn--bcher-kva.example"); nothing when it is not a valid domain.
std::optional<std::string> NormalizeDomain(std::string_view raw);

// The domain part of a matching key ("anna@example.com" -> "example.com").
std::string_view KeyDomain(std::string_view key);

}  // namespace roster
