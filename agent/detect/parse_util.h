#pragma once
// Small parsers shared by the keyword files: numbers, comparisons, lists.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "detect/inspect.h"

namespace nsm4::detect {

std::string_view trim(std::string_view s);
// Splits on `sep` and trims each part (empty parts kept).
std::vector<std::string_view> split(std::string_view s, char sep);
// Removes one pair of surrounding double quotes.
std::string_view unquote(std::string_view s);

bool parse_int(std::string_view s, int64_t& out);
bool parse_uint(std::string_view s, uint64_t& out);  // decimal or 0x hex
// "N", "<N", ">N", "<=N", ">=N", "!N", "=N", "N<>M" (exclusive range), "N-M"
// (inclusive range as in ttl:1-3). Values above max are errors.
bool parse_uint_cmp(std::string_view s, uint64_t max, UintCmp& out, std::string& err);

}  // namespace nsm4::detect
