#pragma once
// Splits the option part of a rule, the text between '(' and ')', into
// `name;` and `name:value;` options with Suricata's escaping: inside and
// outside double quotes, a backslash escapes the next character (\; \" \\),
// and inside quotes ';' does not end an option.
#include <string>
#include <string_view>
#include <vector>

#include "nsm4/rules/diagnostic.h"

namespace nsm4::rules {

struct RawOption {
  std::string name;
  std::string value;  // raw, trimmed, quotes and escapes kept; empty if no ':'
  bool has_value = false;
  size_t name_offset = 0;   // offsets into the text given to tokenize_options
  size_t value_offset = 0;  // (plus its base offset)
};

// base is added to every offset (the position of the options text in the
// rule). Returns false on the first error.
bool tokenize_options(std::string_view text, size_t base, std::vector<RawOption>& out,
                      ParseError& err);

// A quoted option value without its quotes and with \" \\ \; \: unescaped.
// Unquoted values are returned trimmed, with the same escapes removed.
std::string unquote(std::string_view value);

}  // namespace nsm4::rules
