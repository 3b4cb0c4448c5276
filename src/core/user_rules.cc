#include "core/user_rules.h"

#include <algorithm>

#include "core/email.h"
#include "core/text.h"

namespace roster {
namespace {

bool Allowed(Attribute attribute, std::string_view value) {
  const auto& values = SpecOf(attribute).allowed_values;
  return std::find(values.begin(), values.end(), value) != values.end();
}

std::string AllowedList(Attribute attribute) {
  std::string list;
  for (std::string_view value : SpecOf(attribute).allowed_values) {
    if (!list.empty()) list += ", ";
    list += value;
  }
  return list;
}

}  // namespace

std::string_view UserProblemCodeName(UserProblemCode code) {
  switch (code) {
    case UserProblemCode::kInvalidEmail: return "invalid_email";
    case UserProblemCode::kMissingEmail: return "missing_email";
    case UserProblemCode::kMissingRequired: return "missing_required";
    case UserProblemCode::kDomainNotAllowed: return "domain_not_allowed";
    case UserProblemCode::kInvalidValue: return "invalid_value";
  }
  return "invalid_value";
}

bool DomainAllowed(const Organization& organization, std::string_view email_key) {
  std::string_view domain = KeyDomain(email_key);
  for (const std::string& allowed : organization.domains) {
    if (domain == allowed) return true;
    if (domain.size() > allowed.size() && domain.ends_with(allowed) &&
        domain[domain.size() - allowed.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

std::vector<UserProblem> PrepareUser(const Organization& organization, User& user) {
  std::vector<UserProblem> problems;
  for (std::string* field :
       {&user.email, &user.first_name, &user.last_name, &user.gender, &user.academic_degree,
        &user.language, &user.address_type, &user.manager_email, &user.department, &user.location,
        &user.employee_id}) {
    *field = std::string(Trim(*field));
  }
  if (user.email.empty()) {
    problems.push_back({Attribute::kEmail, UserProblemCode::kMissingEmail,
                        "The email address is missing: every user needs one."});
  } else if (EmailCheck check = CheckEmail(user.email); !check.ok()) {
    problems.push_back({Attribute::kEmail, UserProblemCode::kInvalidEmail, check.message});
  } else {
    user.email = check.address;
    user.email_key = check.key;
    if (!DomainAllowed(organization, user.email_key)) {
      std::string domains;
      for (const std::string& domain : organization.domains) {
        domains += (domains.empty() ? "" : ", ") + domain;
      }
      problems.push_back({Attribute::kEmail, UserProblemCode::kDomainNotAllowed,
                          "The domain " + std::string(KeyDomain(user.email_key)) +
                              " is not one of the organization's domains (" + domains +
                              "). Use a company address."});
    }
  }
  if (user.first_name.empty()) {
    problems.push_back({Attribute::kFirstName, UserProblemCode::kMissingRequired,
                        "The first name is missing: it is required for new users."});
  }
  if (user.last_name.empty()) {
    problems.push_back({Attribute::kLastName, UserProblemCode::kMissingRequired,
                        "The last name is missing: it is required for new users."});
  }
  user.gender = user.gender.empty() ? "other" : AsciiLower(user.gender);
  if (!Allowed(Attribute::kGender, user.gender)) {
    problems.push_back({Attribute::kGender, UserProblemCode::kInvalidValue,
                        "The gender '" + user.gender + "' is unknown. Use one of " +
                            AllowedList(Attribute::kGender) + "."});
  }
  user.address_type = user.address_type.empty() ? "single" : AsciiLower(user.address_type);
  if (!Allowed(Attribute::kAddressType, user.address_type)) {
    problems.push_back({Attribute::kAddressType, UserProblemCode::kInvalidValue,
                        "The address type '" + user.address_type + "' is unknown. Use one of " +
                            AllowedList(Attribute::kAddressType) + "."});
  }
  user.language = user.language.empty() ? organization.default_language : AsciiLower(user.language);
  if (!IsIsoLanguageCode(user.language)) {
    problems.push_back({Attribute::kLanguage, UserProblemCode::kInvalidValue,
                        "The language '" + user.language +
                            "' is not a two-letter ISO 639-1 code such as en, de or fr."});
  }
  if (!user.manager_email.empty()) {
    if (EmailCheck check = CheckEmail(user.manager_email); !check.ok()) {
      problems.push_back({Attribute::kManagerEmail, UserProblemCode::kInvalidValue,
                          "The manager's address is not valid: " + check.message});
    } else {
      user.manager_email = check.address;
    }
  }
  return problems;
}

}  // namespace roster
