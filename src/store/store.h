#pragma once

// Store: everything Roster keeps, behind one interface with two backends (SqliteStore, the
// embedded default, and later PostgresStore). Every operation on users, accounts and jobs
// is scoped by organization: an id of another organization behaves exactly like an id that
// does not exist (kNotFound), so tenants cannot learn of each other.
//
// Thread-safety: a Store object is used by one thread at a time; open one per thread
// (backends share the database safely between Store objects and processes).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/elearning_account.h"
#include "core/organization.h"
#include "core/result.h"
#include "core/user.h"

namespace roster {

// Columns the user list can be sorted by.
enum class UserSort { kEmail, kFirstName, kLastName, kDepartment, kLocation, kCreatedAt, kId };

// "email", "first_name", ...; nothing for an unknown name.
std::optional<UserSort> UserSortFromName(std::string_view name);

struct UserQuery {
  std::string search;  // matched, case-insensitively, inside email, first and last name
  UserSort sort = UserSort::kEmail;
  bool descending = false;
  int64_t limit = 50;
  int64_t offset = 0;
};

struct UserListEntry {
  User user;
  std::optional<int64_t> elearning_account_id;  // the linked account, if any
};

struct UserPage {
  int64_t total = 0;  // users matching the search, over all pages
  std::vector<UserListEntry> users;
};

// What the import pipeline needs to match an address: who has it, and whether an e-learning
// account is linked.
struct UserKey {
  int64_t user_id = 0;
  std::string email_key;
  bool has_elearning = false;
};

class Store {
 public:
  virtual ~Store() = default;

  // --- Organizations
  // Fails with kAlreadyExists when the slug is taken. Domains must already be normalized.
  virtual Result<Organization> CreateOrganization(const Organization& organization) = 0;
  virtual Result<Organization> FindOrganization(std::string_view slug) = 0;
  virtual Result<std::vector<Organization>> ListOrganizations() = 0;

  // --- Users
  // Adds one user; email_key must be set. kAlreadyExists when the organization has a user
  // with that key. A matching unlinked e-learning account is linked to the new user.
  virtual Result<User> CreateUser(int64_t org_id, const User& user) = 0;
  // Adds many users in one transaction (all or none); assigns ids and timestamps in `users`.
  virtual Status CreateUsers(int64_t org_id, std::span<User> users) = 0;
  virtual Result<User> GetUser(int64_t org_id, int64_t user_id) = 0;
  virtual Result<UserPage> ListUsers(int64_t org_id, const UserQuery& query) = 0;
  virtual Result<int64_t> CountUsers(int64_t org_id) = 0;
  // Calls `visit` for every user of the organization, in id order, without loading them all.
  virtual Status ForEachUserKey(int64_t org_id,
                                const std::function<void(const UserKey&)>& visit) = 0;

  // --- E-learning accounts
  // What the e-learning platform calls when an employee registers: creates the account for
  // `email_key` and links it to the user with that key, if there is one.
  // kAlreadyExists when the organization has an account for that key.
  virtual Result<ElearningAccount> CreateElearningAccount(int64_t org_id,
                                                          std::string_view email_key) = 0;
  // The same for many keys in one transaction (all or none), in the order given.
  virtual Result<std::vector<ElearningAccount>> CreateElearningAccounts(
      int64_t org_id, std::span<const std::string> email_keys) = 0;
  virtual Result<ElearningAccount> GetElearningAccount(int64_t org_id, int64_t account_id) = 0;
  virtual Result<int64_t> CountElearningAccounts(int64_t org_id) = 0;
  // Records (or updates) progress and certificates of the organization's accounts, in one
  // transaction; kNotFound, and nothing recorded, when an account is not the organization's.
  virtual Status RecordLearning(int64_t org_id, std::span<const LearningProgress> progress,
                                std::span<const Certificate> certificates) = 0;
  virtual Result<std::vector<LearningProgress>> ListProgress(int64_t org_id,
                                                             int64_t account_id) = 0;
  virtual Result<std::vector<Certificate>> ListCertificates(int64_t org_id,
                                                            int64_t account_id) = 0;
};

// Opens the store named by `url`: "sqlite:PATH" (or a bare path). Applies pending migrations.
// Fails with kInvalidArgument for an unknown scheme and kUnavailable when the database
// cannot be opened. `clock` must outlive the store.
Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const Clock& clock);

}  // namespace roster
