#include "support/test_users.h"

#include <optional>
#include <stdexcept>
#include <utility>

#include "core/email.h"

namespace roster::testing {

User TestUser(const std::string& email, std::string first_name, std::string last_name) {
  std::optional<std::string> key = EmailKey(email);
  if (!key) throw std::invalid_argument("not a valid address: " + email);
  User user;
  user.email = email;
  user.email_key = *key;
  user.first_name = std::move(first_name);
  user.last_name = std::move(last_name);
  user.language = "en";
  return user;
}

}  // namespace roster::testing
