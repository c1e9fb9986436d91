#include "metrics/category_labels.h"

namespace nsm4::collector {

std::string CategoryLabels::label_for(const std::string& raw, uint64_t n, std::string& demoted) {
  demoted.clear();
  if (raw == kOtherCategory) return std::string(kOtherCategory);
  std::string category = raw.empty() ? std::string("none") : raw;
  auto it = totals_.find(category);
  if (it == totals_.end()) {
    if (totals_.size() >= max_tracked_) return std::string(kOtherCategory);
    it = totals_.emplace(category, 0).first;
  }
  it->second += n;
  if (named_.count(category)) return category;
  if (named_.size() < max_named_) {
    named_.insert(category);
    return category;
  }
  auto smallest = named_.end();
  uint64_t smallest_total = 0;
  for (auto n_it = named_.begin(); n_it != named_.end(); ++n_it) {
    const uint64_t t = totals_[*n_it];
    if (smallest == named_.end() || t < smallest_total) {
      smallest = n_it;
      smallest_total = t;
    }
  }
  if (smallest == named_.end() || it->second <= smallest_total) {
    return std::string(kOtherCategory);
  }
  demoted = *smallest;
  named_.erase(smallest);
  named_.insert(category);
  return category;
}

}  // namespace nsm4::collector
