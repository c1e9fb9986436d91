#pragma once
// Keeps the alert-category label bounded: the `max_named` categories with the
// most alerts keep their name, the others are counted as "other". A category
// that overtakes the smallest named one takes its place from then on (its
// series starts at zero; what it had is already in "other"), and the demoted
// one's series is dropped, so every exported series only grows.
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

namespace nsm4::collector {

inline constexpr std::string_view kOtherCategory = "other";

class CategoryLabels {
 public:
  explicit CategoryLabels(size_t max_named, size_t max_tracked = 4096)
      : max_named_(max_named), max_tracked_(max_tracked) {}

  // Counts `n` alerts of `category` and returns the label to count them under.
  // `demoted` is set to a category that lost its name (its series must go), or
  // left empty. An empty category is labelled "none"; one called "other" is
  // counted with the others.
  std::string label_for(const std::string& category, uint64_t n, std::string& demoted);

  bool named(const std::string& category) const { return named_.count(category) != 0; }
  size_t named_count() const { return named_.size(); }

 private:
  size_t max_named_;
  size_t max_tracked_;  // categories whose totals are followed (beyond: "other" for good)
  std::unordered_map<std::string, uint64_t> totals_;
  std::set<std::string> named_;
};

}  // namespace nsm4::collector
