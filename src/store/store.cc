#include "store/store.h"

#include <array>
#include <utility>

namespace roster {

std::optional<UserSort> UserSortFromName(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, UserSort>, 7> kNames{{
      {"email", UserSort::kEmail},
      {"first_name", UserSort::kFirstName},
      {"last_name", UserSort::kLastName},
      {"department", UserSort::kDepartment},
      {"location", UserSort::kLocation},
      {"created_at", UserSort::kCreatedAt},
      {"id", UserSort::kId},
  }};
  for (const auto& [text, sort] : kNames) {
    if (text == name) return sort;
  }
  return std::nullopt;
}

}  // namespace roster
