#include "support/golden_case.h"

#include <algorithm>
#include <cstdlib>
#include <tuple>

namespace roster::testing {
namespace {

constexpr std::string_view kSetupSuffix = ".setup.json";
constexpr std::string_view kExpectedSuffix = ".expected.json";

}  // namespace

std::filesystem::path GoldenVariant::SetupPath() const {
  return file.parent_path() / (case_name + std::string(kSetupSuffix));
}

std::filesystem::path GoldenVariant::ExpectedPath() const {
  return file.parent_path() / (case_name + std::string(kExpectedSuffix));
}

std::string GoldenVariant::TestName() const {
  std::string name = case_name + "__" + variant;
  for (char& c : name) {
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!word) c = '_';
  }
  return name;
}

std::filesystem::path GoldenDir() {
  const char* source = std::getenv("ROSTER_SOURCE_DIR");
  std::filesystem::path root =
      source != nullptr && *source != '\0' ? source : std::filesystem::current_path();
  return root / "tests" / "data" / "golden";
}

std::vector<GoldenVariant> FindGoldenVariants(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.is_regular_file()) names.push_back(entry.path().filename().string());
  }
  std::vector<std::string> cases;
  for (const std::string& name : names) {
    if (name.ends_with(kSetupSuffix))
      cases.push_back(name.substr(0, name.size() - kSetupSuffix.size()));
  }
  std::vector<GoldenVariant> variants;
  for (const std::string& case_name : cases) {
    std::string prefix = case_name + ".";
    for (const std::string& name : names) {
      if (!name.starts_with(prefix) || name.ends_with(".json")) continue;
      GoldenVariant variant;
      variant.case_name = case_name;
      variant.variant = name.substr(prefix.size());
      variant.file = dir / name;
      variant.is_csv = variant.variant == "csv";
      variants.push_back(std::move(variant));
    }
  }
  std::sort(variants.begin(), variants.end(), [](const GoldenVariant& a, const GoldenVariant& b) {
    return std::tie(a.case_name, a.is_csv, a.variant) < std::tie(b.case_name, b.is_csv, b.variant);
  });
  return variants;
}

void PrintTo(const GoldenVariant& variant, std::ostream* out) {
  *out << variant.file.filename().string();
}

}  // namespace roster::testing
