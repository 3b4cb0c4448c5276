// SqliteStore: admins and their sessions. Split from sqlite_store.cc so each file has one
// subject.

#include <string>

#include "store/sqlite/sqlite_store.h"

namespace roster {
namespace {

using sqlite::Statement;

constexpr std::string_view kAdminColumns = "id, org_id, email, password_hash, role, created_at";

Result<Admin> ReadAdmin(const Statement& row) {
  std::optional<AdminRole> role = AdminRoleFromName(row.TextView(4));
  if (!role) return Internal("admin " + std::to_string(row.Int(0)) + " has an unknown role");
  return Admin{row.Int(0), row.Int(1), row.Text(2), row.Text(3), *role, row.Int(5)};
}

}  // namespace

Result<Admin> SqliteStore::CreateAdmin(const Admin& admin) {
  ROSTER_ASSIGN_OR_RETURN(
      Statement insert,
      db_->Prepare("INSERT INTO admins (org_id, email, password_hash, role, created_at) "
                   "VALUES (?, ?, ?, ?, ?)"));
  Admin created = admin;
  created.created_at = clock_.NowSeconds();
  insert.Bind(1, admin.org_id)
      .Bind(2, admin.email)
      .Bind(3, admin.password_hash)
      .Bind(4, AdminRoleName(admin.role))
      .Bind(5, created.created_at);
  if (Status inserted = insert.Run(); !inserted.ok()) {
    if (inserted.code() == ErrorCode::kAlreadyExists) {
      return AlreadyExists("the address " + admin.email + " is an admin's already");
    }
    return inserted;
  }
  created.id = db_->LastInsertId();
  return created;
}

Result<Admin> SqliteStore::FindAdminByEmail(std::string_view email) {
  ROSTER_ASSIGN_OR_RETURN(Statement query, db_->Prepare("SELECT " + std::string(kAdminColumns) +
                                                        " FROM admins WHERE email = ?"));
  query.Bind(1, email);
  ROSTER_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return NotFound("no admin with that address");
  return ReadAdmin(query);
}

Result<Admin> SqliteStore::GetAdmin(int64_t org_id, int64_t admin_id) {
  ROSTER_ASSIGN_OR_RETURN(Statement query,
                          db_->Prepare("SELECT " + std::string(kAdminColumns) +
                                       " FROM admins WHERE org_id = ? AND id = ?"));
  query.Bind(1, org_id).Bind(2, admin_id);
  ROSTER_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return NotFound("no admin with the id " + std::to_string(admin_id));
  return ReadAdmin(query);
}

Result<std::vector<Admin>> SqliteStore::ListAdmins(int64_t org_id) {
  ROSTER_ASSIGN_OR_RETURN(Statement query,
                          db_->Prepare("SELECT " + std::string(kAdminColumns) +
                                       " FROM admins WHERE org_id = ? ORDER BY email"));
  query.Bind(1, org_id);
  std::vector<Admin> admins;
  while (true) {
    ROSTER_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) break;
    ROSTER_ASSIGN_OR_RETURN(Admin admin, ReadAdmin(query));
    admins.push_back(std::move(admin));
  }
  return admins;
}

Status SqliteStore::DeleteAdmin(int64_t org_id, int64_t admin_id) {
  ROSTER_ASSIGN_OR_RETURN(Statement remove,
                          db_->Prepare("DELETE FROM admins WHERE org_id = ? AND id = ?"));
  ROSTER_RETURN_IF_ERROR(remove.Bind(1, org_id).Bind(2, admin_id).Run());
  if (db_->Changes() == 0) return NotFound("no admin with the id " + std::to_string(admin_id));
  return Status::Ok();
}

Status SqliteStore::CreateSession(const AdminSession& session) {
  ROSTER_ASSIGN_OR_RETURN(
      Statement insert,
      db_->Prepare("INSERT INTO admin_sessions (token_hash, admin_id, org_id, csrf_token, "
                   "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)"));
  return insert.Bind(1, session.token_hash)
      .Bind(2, session.admin_id)
      .Bind(3, session.org_id)
      .Bind(4, session.csrf_token)
      .Bind(5, session.created_at)
      .Bind(6, session.expires_at)
      .Run();
}

Result<AdminSession> SqliteStore::FindSession(std::string_view token_hash, int64_t now) {
  ROSTER_ASSIGN_OR_RETURN(
      Statement query,
      db_->Prepare("SELECT token_hash, admin_id, org_id, csrf_token, created_at, expires_at "
                   "FROM admin_sessions WHERE token_hash = ? AND expires_at > ?"));
  query.Bind(1, token_hash).Bind(2, now);
  ROSTER_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return NotFound("no such session");
  return AdminSession{query.Text(0), query.Int(1), query.Int(2),
                      query.Text(3), query.Int(4), query.Int(5)};
}

Status SqliteStore::DeleteSession(std::string_view token_hash) {
  ROSTER_ASSIGN_OR_RETURN(Statement remove,
                          db_->Prepare("DELETE FROM admin_sessions WHERE token_hash = ?"));
  return remove.Bind(1, token_hash).Run();
}

Result<int64_t> SqliteStore::DeleteExpiredSessions(int64_t now) {
  ROSTER_ASSIGN_OR_RETURN(Statement remove,
                          db_->Prepare("DELETE FROM admin_sessions WHERE expires_at <= ?"));
  ROSTER_RETURN_IF_ERROR(remove.Bind(1, now).Run());
  return db_->Changes();
}

}  // namespace roster
