#pragma once

// The rules a user record must satisfy before it is stored, shared by every way in (the CLI's
// `users add`, the API, add/update imports): required names, an allowed email domain, and
// values from the attribute table. Problems are data, so an import can list them per row.

#include <string>
#include <vector>

#include "core/attribute.h"
#include "core/organization.h"
#include "core/user.h"

namespace roster {

enum class UserProblemCode {
  kInvalidEmail,  // the address fails CheckEmail
  kMissingEmail,
  kMissingRequired,   // first or last name empty
  kDomainNotAllowed,  // the address's domain is not one of the organization's
  kInvalidValue,      // language not ISO 639-1, unknown gender or address type
};

struct UserProblem {
  Attribute attribute;
  UserProblemCode code;
  std::string message;  // for an admin: what is wrong and how to fix it
};

// "invalid_email", "missing_required", ... as in DESIGN.md section 4.
std::string_view UserProblemCodeName(UserProblemCode code);

// True when `email_key`'s domain is one of the organization's domains or a subdomain of one
// ("hr.acme.com" belongs to "acme.com").
bool DomainAllowed(const Organization& organization, std::string_view email_key);

// Normalizes `user` in place (trims text, sets email and email_key from the address, lowers
// gender, address type and language, applies the defaults: gender "other", address type
// "single", the organization's language) and returns every problem found, empty when valid.
std::vector<UserProblem> PrepareUser(const Organization& organization, User& user);

}  // namespace roster
