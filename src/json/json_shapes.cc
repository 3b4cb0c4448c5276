#include "json/json_shapes.h"

namespace roster {

nlohmann::json ToJson(const Organization& organization) {
  return {{"id", organization.id},
          {"slug", organization.slug},
          {"name", organization.name},
          {"default_language", organization.default_language},
          {"domains", organization.domains}};
}

nlohmann::json ToJson(const UserListEntry& entry) {
  const User& user = entry.user;
  nlohmann::json json = {{"id", user.id},
                         {"email", user.email},
                         {"first_name", user.first_name},
                         {"last_name", user.last_name},
                         {"gender", user.gender},
                         {"academic_degree", user.academic_degree},
                         {"language", user.language},
                         {"address_type", user.address_type},
                         {"manager_email", user.manager_email},
                         {"department", user.department},
                         {"location", user.location},
                         {"employee_id", user.employee_id},
                         {"active", user.active},
                         {"created_at", user.created_at},
                         {"updated_at", user.updated_at}};
  json["elearning_account_id"] = entry.elearning_account_id
                                     ? nlohmann::json(*entry.elearning_account_id)
                                     : nlohmann::json(nullptr);
  if (!user.groups.empty()) json["groups"] = user.groups;
  return json;
}

nlohmann::json ToJson(const ElearningAccount& account) {
  nlohmann::json json = {
      {"id", account.id}, {"email_key", account.email_key}, {"created_at", account.created_at}};
  json["user_id"] = account.user_id ? nlohmann::json(*account.user_id) : nlohmann::json(nullptr);
  return json;
}

nlohmann::json ToJson(const ImportIssue& issue) {
  nlohmann::json json = {{"row", issue.row},
                         {"column", issue.column},
                         {"value", issue.value},
                         {"code", IssueCodeName(issue.code)},
                         {"severity", SeverityName(issue.severity)},
                         {"message", issue.message}};
  json["suggestion"] = issue.suggestion ? nlohmann::json(*issue.suggestion) : nullptr;
  return json;
}

nlohmann::json ToJson(const ImportJob& job) {
  return {{"id", job.id},
          {"mode", ImportModeName(job.mode)},
          {"state", JobStateName(job.state)},
          {"file", job.file_name},
          {"rows", job.counts.rows},
          {"to_delete", job.counts.to_delete},
          {"deleted", job.counts.deleted},
          {"created", job.counts.created},
          {"updated", job.counts.updated},
          {"error", job.error},
          {"created_at", job.created_at},
          {"updated_at", job.updated_at}};
}

nlohmann::json ToJson(const Admin& admin) {
  return {{"id", admin.id},
          {"email", admin.email},
          {"role", AdminRoleName(admin.role)},
          {"created_at", admin.created_at}};
}

nlohmann::json ToJson(const AuditEvent& event) {
  nlohmann::json details = nlohmann::json::parse(event.details, nullptr, false);
  return {{"id", event.id},
          {"actor", event.actor},
          {"action", event.action},
          {"at", event.at},
          {"details", details.is_discarded() ? nlohmann::json(event.details) : details},
          {"address_hash_count", event.address_hash_count}};
}

std::string Dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace roster
