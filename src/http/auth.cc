#include "http/auth.h"

#include <sodium.h>

#include <array>

#include "auth/passwords.h"
#include "core/email.h"
#include "core/hex.h"
#include "core/text.h"

namespace roster::http {
namespace {

std::string RandomHex(RandomSource& random) {
  std::array<uint8_t, 32> bytes{};
  random.Fill(bytes);
  return ToHex(bytes);
}

// What the password of an unknown address is checked against: a hash of the same cost as an
// admin's, so that how long a refusal takes does not tell which addresses are admins'.
const std::string& UnknownAdminHash() {
  static const std::string hash = [] {
    Result<std::string> hashed = auth::HashPassword("no admin has this address");
    return hashed.ok() ? std::move(hashed).value() : std::string();
  }();
  return hash;
}

}  // namespace

std::string TokenHash(std::string_view token) {
  std::array<uint8_t, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size());
  return ToHex(digest);
}

bool Authenticator::Throttled(const std::string& key, int64_t now) {
  std::lock_guard lock(mutex_);
  auto found = failures_.find(key);
  if (found == failures_.end()) return false;
  if (now - found->second.window_start >= options_.failure_window_seconds) {
    failures_.erase(found);
    return false;
  }
  return found->second.count >= options_.max_failures;
}

void Authenticator::RecordFailure(const std::string& key, int64_t now) {
  std::lock_guard lock(mutex_);
  // Forget old failures now and then, so that many clients cannot grow the map without end.
  constexpr size_t kPruneAbove = 10'000;
  if (failures_.size() > kPruneAbove) {
    std::erase_if(failures_, [&](const auto& entry) {
      return now - entry.second.window_start >= options_.failure_window_seconds;
    });
  }
  Failures& failures = failures_[key];
  if (failures.count == 0 || now - failures.window_start >= options_.failure_window_seconds) {
    failures = {0, now};
  }
  ++failures.count;
}

Result<NewSession> Authenticator::Login(Store& store, std::string_view email,
                                        std::string_view password, const std::string& client) {
  const int64_t now = clock_.NowSeconds();
  const std::string address = AsciiLower(Trim(email));
  const std::string address_key = "address:" + address;
  const std::string client_key = "client:" + client;
  if (Throttled(address_key, now) || Throttled(client_key, now)) {
    return ResourceExhausted("too many failed sign-ins; wait " +
                             std::to_string(options_.failure_window_seconds / 60) +
                             " minutes and try again");
  }
  Result<Admin> admin = store.FindAdminByEmail(address);
  if (!admin.ok() && admin.status().code() != ErrorCode::kNotFound) return admin.status();
  bool verified = false;
  if (admin.ok()) {
    verified = auth::VerifyPassword(admin->password_hash, password);
  } else {
    (void)auth::VerifyPassword(UnknownAdminHash(), password);  // the same work as for an admin
  }
  if (!verified) {
    RecordFailure(address_key, now);
    RecordFailure(client_key, now);
    return Status(ErrorCode::kUnauthenticated, "wrong email or password");
  }
  NewSession created;
  created.token = RandomHex(random_);
  AdminSession session{TokenHash(created.token), admin->id, admin->org_id,
                       RandomHex(random_),       now,       now + options_.session_seconds};
  ROSTER_RETURN_IF_ERROR(store.CreateSession(session));
  (void)store.DeleteExpiredSessions(now);
  ROSTER_ASSIGN_OR_RETURN(created.caller, Authenticate(store, created.token));
  return created;
}

Result<Caller> Authenticator::Authenticate(Store& store, std::string_view token) {
  Status unauthenticated(ErrorCode::kUnauthenticated,
                         "sign in first (the session is missing or expired)");
  if (token.empty()) return unauthenticated;
  Result<AdminSession> session = store.FindSession(TokenHash(token), clock_.NowSeconds());
  if (!session.ok()) {
    return session.status().code() == ErrorCode::kNotFound ? unauthenticated : session.status();
  }
  Result<Admin> admin = store.GetAdmin(session->org_id, session->admin_id);
  if (!admin.ok()) {
    return admin.status().code() == ErrorCode::kNotFound ? unauthenticated : admin.status();
  }
  ROSTER_ASSIGN_OR_RETURN(Organization organization, store.GetOrganization(session->org_id));
  return Caller{std::move(admin).value(), std::move(organization), std::move(session).value()};
}

Status Authenticator::Logout(Store& store, std::string_view token) {
  return store.DeleteSession(TokenHash(token));
}

}  // namespace roster::http
