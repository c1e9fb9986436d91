#pragma once
// Reads a rule file into logical rules: comments and blank lines dropped,
// lines ending in a backslash joined with the next one, CRLF accepted. Keeps
// a map from each byte of the joined text back to its line and column.
#include <string>
#include <string_view>
#include <vector>

#include "nsm4/rules/diagnostic.h"

namespace nsm4::rules {

class LogicalRule {
 public:
  const std::string& text() const { return text_; }
  // The original line and column of a byte of text() (the end maps to just
  // after the last byte).
  SourcePos pos_at(size_t offset) const;
  int first_line() const { return segments_.empty() ? 0 : segments_.front().line; }

 private:
  friend class RuleFileReader;
  struct Segment {
    size_t offset;  // in text_
    int line;
    int column;  // of the segment's first byte
  };
  std::string text_;
  std::vector<Segment> segments_;
};

struct ReadResult {
  std::vector<LogicalRule> rules;
  size_t disabled = 0;  // commented-out rules ("#alert ...")
};

class RuleFileReader {
 public:
  static ReadResult read_text(std::string_view text);
  // Reads a file from disk; false (with a message) if it cannot be read.
  static bool read_file(const std::string& path, std::string& contents, std::string& error);
};

// True if a comment's text (after '#') looks like a rule: an action word
// followed by a protocol.
bool looks_like_disabled_rule(std::string_view comment_body);

}  // namespace nsm4::rules
