#include "nsm4/rules/source_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "nsm4/rules/protocol.h"

namespace nsm4::rules {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::string_view ltrim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  return s;
}

// True (and strips it) when the line continues on the next one.
bool strip_continuation(std::string_view& line) {
  std::string_view t = line;
  while (!t.empty() && is_space(t.back())) t.remove_suffix(1);
  if (t.empty() || t.back() != '\\') return false;
  t.remove_suffix(1);
  line = t;
  return true;
}

}  // namespace

SourcePos LogicalRule::pos_at(size_t offset) const {
  if (segments_.empty()) return {};
  auto it = std::upper_bound(segments_.begin(), segments_.end(), offset,
                             [](size_t off, const Segment& s) { return off < s.offset; });
  if (it != segments_.begin()) --it;
  return {it->line, it->column + static_cast<int>(offset - it->offset)};
}

bool looks_like_disabled_rule(std::string_view body) {
  body = ltrim(body);
  size_t sp = body.find_first_of(" \t");
  if (sp == std::string_view::npos) return false;
  std::string_view action = body.substr(0, sp);
  static constexpr std::string_view kActions[] = {"alert",     "pass",      "drop",      "reject",
                                                  "rejectsrc", "rejectdst", "rejectboth"};
  bool is_action = false;
  for (std::string_view a : kActions) is_action = is_action || a == action;
  if (!is_action) return false;
  std::string_view rest = ltrim(body.substr(sp));
  size_t end = rest.find_first_of(" \t(");
  return find_protocol(rest.substr(0, end)) != nullptr && rest.find('(') != std::string_view::npos;
}

ReadResult RuleFileReader::read_text(std::string_view text) {
  ReadResult out;
  LogicalRule current;
  bool continuing = false;
  bool skipping_comment = false;  // continuation lines of a commented-out rule
  int line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    if (skipping_comment) {
      skipping_comment = strip_continuation(line);
      continue;
    }
    if (!continuing) {
      std::string_view t = ltrim(line);
      if (t.empty()) continue;
      if (t[0] == '#') {
        std::string_view body = t.substr(1);
        if (looks_like_disabled_rule(body)) ++out.disabled;
        skipping_comment = strip_continuation(body);
        continue;
      }
      current = LogicalRule();
    }
    continuing = strip_continuation(line);
    current.segments_.push_back({current.text_.size(), line_no, 1});
    current.text_.append(line);
    if (!continuing) {
      out.rules.push_back(std::move(current));
      current = LogicalRule();
    }
  }
  if (continuing) out.rules.push_back(std::move(current));
  return out;
}

bool RuleFileReader::read_file(const std::string& path, std::string& contents, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::string("cannot open the file: ") + std::strerror(errno);
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    error = std::string("cannot read the file: ") + std::strerror(errno);
    return false;
  }
  contents = ss.str();
  return true;
}

}  // namespace nsm4::rules
