// The one table of rule keywords. Adding a keyword: a file in keywords/ that
// defines kKeyword_<name>, and its name in NSM4_KEYWORDS (keyword.h). The
// app-layer buffer rows come from the buffer registry (app_buffers.cpp).
#include <array>
#include <vector>

#include "detect/keyword.h"

namespace nsm4::detect {

namespace {

#define NSM4_KEYWORD_PTR(n) &kKeyword_##n,
const std::array kTable = {NSM4_KEYWORDS(NSM4_KEYWORD_PTR)};
#undef NSM4_KEYWORD_PTR

std::vector<KeywordDef> rows() {
  std::vector<KeywordDef> out;
  out.reserve(kTable.size() + app_buffer_keywords().size() + transform_keywords().size());
  for (const KeywordDef* k : kTable) out.push_back(*k);
  for (const KeywordDef& k : app_buffer_keywords()) out.push_back(k);
  for (const KeywordDef& k : transform_keywords()) out.push_back(k);
  return out;
}

}  // namespace

std::span<const KeywordDef> keyword_table() {
  static const std::vector<KeywordDef> table = rows();
  return table;
}

const KeywordDef* find_keyword(std::string_view name) {
  for (const KeywordDef& k : keyword_table())
    if (k.name == name) return &k;
  return nullptr;
}

}  // namespace nsm4::detect
