#pragma once

// User: one employee of an organization, who receives phishing simulations and training.
// `email_key` is the normalized address (see email.h): the matching key, unique within the
// organization. `id` is the Roster ID shown in exports.

#include <cstdint>
#include <string>
#include <vector>

namespace roster {

struct User {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string email;      // as the admin wrote it (trimmed)
  std::string email_key;  // normalized, for matching
  std::string first_name;
  std::string last_name;
  std::string gender = "other";  // female, male, other
  std::string academic_degree;
  std::string language;                 // ISO 639-1
  std::string address_type = "single";  // single, group (a shared mailbox)
  std::string manager_email;
  std::string department;
  std::string location;
  std::string employee_id;
  bool active = true;
  std::vector<std::string> groups;
  int64_t created_at = 0;  // Unix seconds
  int64_t updated_at = 0;
};

}  // namespace roster
