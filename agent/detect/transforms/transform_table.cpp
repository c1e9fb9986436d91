// The one table of transforms (see transform_list.h).
#include <array>

#include "detect/transforms/transform_list.h"

namespace nsm4::detect {

namespace {

#define NSM4_TRANSFORM_PTR(n) &kTransform_##n,
const std::array kTable = {NSM4_TRANSFORMS(NSM4_TRANSFORM_PTR)};
#undef NSM4_TRANSFORM_PTR

std::array<TransformDef, kTable.size()> rows() {
  std::array<TransformDef, kTable.size()> out{};
  for (size_t i = 0; i < kTable.size(); ++i) out[i] = *kTable[i];
  return out;
}

}  // namespace

std::span<const TransformDef> transform_table() {
  static const std::array<TransformDef, kTable.size()> table = rows();
  return table;
}

const TransformDef* find_transform(std::string_view name) {
  for (const TransformDef& t : transform_table())
    if (t.name == name) return &t;
  return nullptr;
}

}  // namespace nsm4::detect
