#pragma once

// Signing in and recognizing the signed-in admin. The browser holds a random session token
// in an HttpOnly cookie; the store keeps only its SHA-256, with a CSRF token that the console
// sends back on every request that changes something. Failed logins are throttled per
// address and per client, so that passwords cannot be guessed at speed. Thread-safe.

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/admin.h"
#include "core/clock.h"
#include "core/organization.h"
#include "core/random.h"
#include "store/store.h"

namespace roster::http {

inline constexpr std::string_view kSessionCookie = "roster_session";

// Who is asking: the admin, their organization and their session.
struct Caller {
  Admin admin;
  Organization organization;
  AdminSession session;
};

struct NewSession {
  std::string token;  // for the cookie; never stored
  Caller caller;
};

struct AuthOptions {
  int64_t session_seconds = 8 * 3600;
  int max_failures = 5;                  // failed logins per address or client ...
  int64_t failure_window_seconds = 900;  // ... within this time, before logins wait
};

class Authenticator {
 public:
  Authenticator(const Clock& clock, RandomSource& random, AuthOptions options = {})
      : clock_(clock), random_(random), options_(options) {}

  // kUnauthenticated "wrong email or password" (the same for an unknown address, so that
  // addresses cannot be probed); kResourceExhausted when `client` or the address failed too
  // often lately.
  Result<NewSession> Login(Store& store, std::string_view email, std::string_view password,
                           const std::string& client);
  // The caller of a session token; kUnauthenticated when it is unknown or expired.
  Result<Caller> Authenticate(Store& store, std::string_view token);
  Status Logout(Store& store, std::string_view token);

  int64_t session_seconds() const { return options_.session_seconds; }

 private:
  bool Throttled(const std::string& key, int64_t now);
  void RecordFailure(const std::string& key, int64_t now);

  const Clock& clock_;
  RandomSource& random_;
  AuthOptions options_;
  std::mutex mutex_;
  struct Failures {
    int count = 0;
    int64_t window_start = 0;
  };
  std::map<std::string, Failures> failures_;
};

// Hex SHA-256 of a session token, as the store keeps it.
std::string TokenHash(std::string_view token);

}  // namespace roster::http
