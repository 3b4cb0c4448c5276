#include "store/job_codec.h"

#include <array>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/byte_codec.h"

namespace roster {
namespace {

constexpr size_t kPlanEntrySize = 8 + 8 + 8 + 16;

// The counts and their JSON names, in one table for both directions.
struct CountField {
  const char* name;
  int64_t ImportCounts::*field;
};
constexpr CountField kCountFields[] = {
    {"rows", &ImportCounts::rows},
    {"empty_rows", &ImportCounts::empty_rows},
    {"excluded_rows", &ImportCounts::excluded_rows},
    {"duplicates", &ImportCounts::duplicates},
    {"errors", &ImportCounts::errors},
    {"warnings", &ImportCounts::warnings},
    {"to_delete", &ImportCounts::to_delete},
    {"elearning_linked", &ImportCounts::elearning_linked},
    {"to_create", &ImportCounts::to_create},
    {"to_update", &ImportCounts::to_update},
    {"unchanged", &ImportCounts::unchanged},
    {"deleted", &ImportCounts::deleted},
    {"elearning_deleted", &ImportCounts::elearning_deleted},
    {"elearning_unlinked", &ImportCounts::elearning_unlinked},
    {"already_gone", &ImportCounts::already_gone},
    {"created", &ImportCounts::created},
    {"updated", &ImportCounts::updated},
};

void PutUint64(std::string& out, uint64_t value) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

uint64_t GetUint64(const char* in) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value |= uint64_t{static_cast<unsigned char>(in[i])} << (8 * i);
  return value;
}

}  // namespace

std::string CountsToJson(const ImportCounts& counts) {
  nlohmann::json json = nlohmann::json::object();
  for (const CountField& field : kCountFields) json[field.name] = counts.*field.field;
  return json.dump();
}

ImportCounts CountsFromJson(std::string_view text) {
  ImportCounts counts;
  nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return counts;
  for (const CountField& field : kCountFields) {
    auto found = json.find(field.name);
    if (found != json.end() && found->is_number_integer()) counts.*field.field = *found;
  }
  return counts;
}

std::string MappingToJson(const std::map<std::string, std::string>& mapping) {
  return nlohmann::json(mapping).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::map<std::string, std::string> MappingFromJson(std::string_view text) {
  std::map<std::string, std::string> mapping;
  nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return mapping;
  for (const auto& [key, value] : json.items()) {
    if (value.is_string()) mapping[key] = value.get<std::string>();
  }
  return mapping;
}

std::string EncodePlan(std::span<const PlannedDeletion> plan) {
  std::string blob;
  blob.reserve(plan.size() * kPlanEntrySize);
  for (const PlannedDeletion& entry : plan) {
    PutUint64(blob, static_cast<uint64_t>(entry.user_id));
    PutUint64(blob, entry.key_hash);
    PutUint64(blob, static_cast<uint64_t>(entry.row));
    blob.append(reinterpret_cast<const char*>(entry.audit_hash.data()), entry.audit_hash.size());
  }
  return blob;
}

Result<std::vector<PlannedDeletion>> DecodePlan(std::string_view blob) {
  if (blob.size() % kPlanEntrySize != 0) {
    return Internal("a stored plan has " + std::to_string(blob.size()) +
                    " bytes, not a whole number of entries");
  }
  std::vector<PlannedDeletion> plan(blob.size() / kPlanEntrySize);
  const char* cursor = blob.data();
  for (PlannedDeletion& entry : plan) {
    entry.user_id = static_cast<int64_t>(GetUint64(cursor));
    entry.key_hash = GetUint64(cursor + 8);
    entry.row = static_cast<int64_t>(GetUint64(cursor + 16));
    std::memcpy(entry.audit_hash.data(), cursor + 24, entry.audit_hash.size());
    cursor += kPlanEntrySize;
  }
  return plan;
}

namespace {

// The text fields of a planned user, in the order they are stored.
constexpr std::array<std::string User::*, 12> kUpsertTexts = {
    &User::email,         &User::email_key,       &User::first_name, &User::last_name,
    &User::gender,        &User::academic_degree, &User::language,   &User::address_type,
    &User::manager_email, &User::department,      &User::location,   &User::employee_id};

}  // namespace

std::string EncodeUpserts(std::span<const PlannedUpsert> plan) {
  std::string blob;
  for (const PlannedUpsert& entry : plan) {
    PutVarint(blob, static_cast<uint64_t>(entry.user.id));
    PutVarint(blob, static_cast<uint64_t>(entry.expected_updated_at));
    PutVarint(blob, static_cast<uint64_t>(entry.row));
    PutVarint(blob, entry.user.active ? 1 : 0);
    for (std::string User::*field : kUpsertTexts) PutBytes(blob, entry.user.*field);
    PutVarint(blob, entry.user.groups.size());
    for (const std::string& group : entry.user.groups) PutBytes(blob, group);
  }
  return blob;
}

Result<std::vector<PlannedUpsert>> DecodeUpserts(std::string_view blob) {
  std::vector<PlannedUpsert> plan;
  ByteReader reader(blob);
  while (reader.ok() && !reader.done()) {
    PlannedUpsert& entry = plan.emplace_back();
    entry.user.id = static_cast<int64_t>(reader.Varint());
    entry.expected_updated_at = static_cast<int64_t>(reader.Varint());
    entry.row = static_cast<int64_t>(reader.Varint());
    entry.user.active = reader.Varint() != 0;
    for (std::string User::*field : kUpsertTexts) entry.user.*field = reader.Bytes();
    const uint64_t groups = reader.Varint();
    for (uint64_t i = 0; reader.ok() && i < groups; ++i) {
      entry.user.groups.emplace_back(reader.Bytes());
    }
  }
  if (!reader.ok()) return Internal("a stored add/update plan is corrupt");
  return plan;
}

}  // namespace roster
