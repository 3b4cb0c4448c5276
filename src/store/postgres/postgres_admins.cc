// PostgresStore: admins and their sessions. Split from postgres_store.cc so each file has one
// subject.

#include <string>

#include "store/postgres/postgres_db.h"
#include "store/postgres/postgres_store.h"

namespace roster {
namespace {

using postgres::View;

constexpr std::string_view kAdminColumns = "id, org_id, email, password_hash, role, created_at";

Result<Admin> AdminFromRow(const pqxx::row& row) {
  std::optional<AdminRole> role = AdminRoleFromName(View(row[4]));
  if (!role) {
    return Internal("admin " + std::to_string(row[0].as<int64_t>()) + " has an unknown role");
  }
  return Admin{row[0].as<int64_t>(), row[1].as<int64_t>(), row[2].c_str(), row[3].c_str(), *role,
               row[5].as<int64_t>()};
}

}  // namespace

Result<Admin> PostgresStore::CreateAdmin(const Admin& admin) {
  Result<Admin> created =
      db_->Transact("creating an admin", [&](pqxx::transaction_base& tx) -> Result<Admin> {
        Admin stored = admin;
        stored.created_at = clock_.NowSeconds();
        stored.id = tx.exec_params1(
                          "INSERT INTO admins (org_id, email, password_hash, role, created_at) "
                          "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                          admin.org_id, admin.email, admin.password_hash,
                          std::string(AdminRoleName(admin.role)), stored.created_at)[0]
                        .as<int64_t>();
        return stored;
      });
  if (created.status().code() == ErrorCode::kAlreadyExists) {
    return AlreadyExists("the address " + admin.email + " is an admin's already");
  }
  return created;
}

Result<Admin> PostgresStore::FindAdminByEmail(std::string_view email) {
  return db_->Transact("finding an admin", [&](pqxx::transaction_base& tx) -> Result<Admin> {
    pqxx::result found =
        tx.exec_params("SELECT " + std::string(kAdminColumns) + " FROM admins WHERE email = $1",
                       std::string(email));
    if (found.empty()) return NotFound("no admin with that address");
    return AdminFromRow(found[0]);
  });
}

Result<Admin> PostgresStore::GetAdmin(int64_t org_id, int64_t admin_id) {
  return db_->Transact("reading an admin", [&](pqxx::transaction_base& tx) -> Result<Admin> {
    pqxx::result found = tx.exec_params(
        "SELECT " + std::string(kAdminColumns) + " FROM admins WHERE org_id = $1 AND id = $2",
        org_id, admin_id);
    if (found.empty()) return NotFound("no admin with the id " + std::to_string(admin_id));
    return AdminFromRow(found[0]);
  });
}

Result<std::vector<Admin>> PostgresStore::ListAdmins(int64_t org_id) {
  return db_->Transact("listing admins",
                       [&](pqxx::transaction_base& tx) -> Result<std::vector<Admin>> {
                         std::vector<Admin> admins;
                         for (const pqxx::row& row :
                              tx.exec_params("SELECT " + std::string(kAdminColumns) +
                                                 " FROM admins WHERE org_id = $1 ORDER BY email",
                                             org_id)) {
                           ROSTER_ASSIGN_OR_RETURN(Admin admin, AdminFromRow(row));
                           admins.push_back(std::move(admin));
                         }
                         return admins;
                       });
}

Status PostgresStore::DeleteAdmin(int64_t org_id, int64_t admin_id) {
  return db_->Transact("deleting an admin", [&](pqxx::transaction_base& tx) -> Status {
    pqxx::result deleted =
        tx.exec_params("DELETE FROM admins WHERE org_id = $1 AND id = $2", org_id, admin_id);
    if (deleted.affected_rows() == 0) {
      return NotFound("no admin with the id " + std::to_string(admin_id));
    }
    return Status::Ok();
  });
}

Status PostgresStore::CreateSession(const AdminSession& session) {
  return db_->Transact("creating a session", [&](pqxx::transaction_base& tx) -> Status {
    tx.exec_params(
        "INSERT INTO admin_sessions (token_hash, admin_id, org_id, csrf_token, created_at, "
        "expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        session.token_hash, session.admin_id, session.org_id, session.csrf_token,
        session.created_at, session.expires_at);
    return Status::Ok();
  });
}

Result<AdminSession> PostgresStore::FindSession(std::string_view token_hash, int64_t now) {
  return db_->Transact(
      "finding a session", [&](pqxx::transaction_base& tx) -> Result<AdminSession> {
        pqxx::result found = tx.exec_params(
            "SELECT token_hash, admin_id, org_id, csrf_token, created_at, expires_at FROM "
            "admin_sessions WHERE token_hash = $1 AND expires_at > $2",
            std::string(token_hash), now);
        if (found.empty()) return NotFound("no such session");
        const pqxx::row& row = found[0];
        return AdminSession{row[0].c_str(), row[1].as<int64_t>(), row[2].as<int64_t>(),
                            row[3].c_str(), row[4].as<int64_t>(), row[5].as<int64_t>()};
      });
}

Status PostgresStore::DeleteSession(std::string_view token_hash) {
  return db_->Transact("deleting a session", [&](pqxx::transaction_base& tx) -> Status {
    tx.exec_params("DELETE FROM admin_sessions WHERE token_hash = $1", std::string(token_hash));
    return Status::Ok();
  });
}

Result<int64_t> PostgresStore::DeleteExpiredSessions(int64_t now) {
  return db_->Transact(
      "deleting expired sessions", [&](pqxx::transaction_base& tx) -> Result<int64_t> {
        return static_cast<int64_t>(
            tx.exec_params("DELETE FROM admin_sessions WHERE expires_at <= $1", now)
                .affected_rows());
      });
}

}  // namespace roster
