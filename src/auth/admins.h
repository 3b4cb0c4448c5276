#pragma once

// Making admins: checked addresses and passwords, argon2id hashes, and the owner every
// organization gets on the server's first start, so that someone can sign in. Used by the HTTP
// API and by the CLI (`roster admin`, `roster serve`, `roster demo`). Thread-safe; the Store
// and RandomSource passed in must outlive the call.

#include <functional>
#include <string>
#include <string_view>

#include "core/admin.h"
#include "core/organization.h"
#include "core/random.h"
#include "store/store.h"

namespace roster::auth {

// An admin of `organization` ready to store: the address checked and normalized, the
// password checked (CheckNewPassword) and hashed.
Result<Admin> NewAdmin(const Organization& organization, std::string_view email,
                       std::string_view password, AdminRole role);

// The password for a new admin: `given` when not empty (it must pass CheckNewPassword),
// else a generated one.
Result<std::string> ChoosePassword(std::string_view given, RandomSource& random);

// Gives every organization without an owner one, owner@<its first domain>, with the
// password ChoosePassword picks, and tells `announce` the address and password (the only
// time the password is shown). Returns how many were created.
Result<int64_t> EnsureOwners(Store& store, std::string_view password, RandomSource& random,
                             const std::function<void(const Admin&, const std::string&)>& announce);

}  // namespace roster::auth
