// The one table of rule keywords. Adding a keyword: a file in keywords/ that
// defines kKeyword_<name>, and its name in NSM4_KEYWORDS (keyword.h).
#include <array>

#include "detect/keyword.h"

namespace nsm4::detect {

namespace {

#define NSM4_KEYWORD_PTR(n) &kKeyword_##n,
const std::array kTable = {NSM4_KEYWORDS(NSM4_KEYWORD_PTR)};
#undef NSM4_KEYWORD_PTR

std::array<KeywordDef, kTable.size()> rows() {
  std::array<KeywordDef, kTable.size()> out{};
  for (size_t i = 0; i < kTable.size(); ++i) out[i] = *kTable[i];
  return out;
}

}  // namespace

std::span<const KeywordDef> keyword_table() {
  static const std::array<KeywordDef, kTable.size()> table = rows();
  return table;
}

const KeywordDef* find_keyword(std::string_view name) {
  for (const KeywordDef& k : keyword_table())
    if (k.name == name) return &k;
  return nullptr;
}

}  // namespace nsm4::detect
