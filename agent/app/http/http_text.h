#pragma once
// Small text helpers of the HTTP parser: header-value trimming and
// case-insensitive comparison.
#include <algorithm>
#include <cctype>
#include <string_view>

namespace nsm4::app::http {

// Space or horizontal tab (HTTP's optional whitespace).
inline bool is_ws(char c) {
  return c == ' ' || c == '\t';
}

// Without leading and trailing whitespace (and a trailing CR).
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && (is_ws(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Equal ignoring ASCII case.
inline bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace nsm4::app::http
