#pragma once
// Where something is in a rule file, and what went wrong there. Lines and
// columns are 1-based and count bytes of the original file text, so an admin's
// editor jumps to the offending token.
#include <string>
#include <string_view>
#include <vector>

namespace nsm4::rules {

struct SourcePos {
  int line = 0;
  int column = 0;
};

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string file;
  SourcePos pos;
  std::string message;

  // "file:line:column: error: message" (the format compilers use).
  std::string format() const;
};

// An error found while parsing one rule: an offset into the rule's logical
// text (continuations joined), mapped to a SourcePos by the reader.
struct ParseError {
  size_t offset = 0;
  std::string message;
};

// 'text' in single quotes, for messages. (Built with append: gcc 12 warns
// falsely, -Wrestrict, on "'" + std::string(...) at -O2.)
inline std::string quoted(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  out.append(text);
  out += '\'';
  return out;
}

}  // namespace nsm4::rules
