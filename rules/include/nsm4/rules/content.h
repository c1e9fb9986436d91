#pragma once
// Content-like strings: "abc|0d 0a|def" to bytes. Hex blocks between pipes
// (spaces between digits allowed), escapes \" \\ \; \: outside them, and an
// optional leading '!' for negation.
#include <string>
#include <string_view>

#include "nsm4/rules/diagnostic.h"

namespace nsm4::rules {

struct ContentValue {
  bool negated = false;
  std::string bytes;
};

// value: the raw option value; base: its offset in the rule, added to error
// offsets so they point at the offending character.
bool parse_content(std::string_view value, size_t base, ContentValue& out, ParseError& err);

}  // namespace nsm4::rules
