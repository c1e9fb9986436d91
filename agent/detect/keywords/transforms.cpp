// The keyword rows made from the transform table (detect/transforms/): each
// transform is a keyword that applies to the current buffer.
#include <vector>

#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

namespace {

bool parse(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  const TransformDef* d = find_transform(o.name);
  if (!d) {
    err = "unknown transform";
    return false;
  }
  std::shared_ptr<const Transform> t = d->parse(trim(o.value), err);
  if (!t) return false;
  return rb.add_transform(std::move(t), o.name, err);
}

std::vector<KeywordDef> make_rows() {
  std::vector<KeywordDef> rows;
  rows.reserve(transform_table().size());
  for (const TransformDef& d : transform_table()) rows.push_back({d.name, d.help, 0, parse});
  return rows;
}

}  // namespace

std::span<const KeywordDef> transform_keywords() {
  static const std::vector<KeywordDef> rows = make_rows();
  return rows;
}

}  // namespace nsm4::detect
