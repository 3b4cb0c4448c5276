#pragma once

// How job fields that are not plain columns are stored, the same for every backend: counts
// and mapping as JSON objects, the plan as a blob of fixed-size little-endian entries.

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/import_job.h"
#include "core/result.h"

namespace roster {

std::string CountsToJson(const ImportCounts& counts);
// Unknown or missing fields read as 0, so old rows stay readable when counts grow.
ImportCounts CountsFromJson(std::string_view json);

std::string MappingToJson(const std::map<std::string, std::string>& mapping);
std::map<std::string, std::string> MappingFromJson(std::string_view json);

std::string EncodePlan(std::span<const PlannedDeletion> plan);
// An add/update plan: each user with the fields an upsert writes, its expected updated_at and
// its row (core/byte_codec.h).
std::string EncodeUpserts(std::span<const PlannedUpsert> plan);
// kInternal when the blob is not what EncodeUpserts writes.
Result<std::vector<PlannedUpsert>> DecodeUpserts(std::string_view blob);
// kInternal when the blob's size is not a whole number of entries.
Result<std::vector<PlannedDeletion>> DecodePlan(std::string_view blob);

}  // namespace roster
