#include "nsm4/rules/classification.h"

#include <charconv>

#include "nsm4/rules/source_reader.h"

namespace nsm4::rules {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

Classifications Classifications::defaults() {
  Classifications c;
  std::vector<Diagnostic> ignored;
  c.parse(default_classification_text(), "classification.config", ignored);
  return c;
}

bool Classifications::parse(std::string_view text, const std::string& origin,
                            std::vector<Diagnostic>& diags) {
  bool ok = true;
  int line_no = 0;
  size_t pos = 0;
  auto error = [&](int col, std::string msg) {
    diags.push_back({Severity::kError, origin, {line_no, col}, std::move(msg)});
    ok = false;
  };
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? text.size() - pos : nl - pos);
    ++line_no;
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    std::string_view t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    auto col_of = [&](std::string_view part) {
      return static_cast<int>(part.data() - line.data()) + 1;
    };
    constexpr std::string_view kPrefix = "config classification:";
    if (t.substr(0, kPrefix.size()) != kPrefix) {
      error(col_of(t), "expected 'config classification: name,description,priority'");
      continue;
    }
    std::string_view rest = t.substr(kPrefix.size());
    size_t c1 = rest.find(',');
    size_t c2 = rest.rfind(',');
    if (c1 == std::string_view::npos || c2 == c1) {
      error(col_of(rest), "expected three comma-separated fields: name,description,priority");
      continue;
    }
    std::string_view name = trim(rest.substr(0, c1));
    std::string_view desc = trim(rest.substr(c1 + 1, c2 - c1 - 1));
    std::string_view prio = trim(rest.substr(c2 + 1));
    if (name.empty()) {
      error(col_of(rest), "empty classtype name");
      continue;
    }
    int p = 0;
    auto [end, ec] = std::from_chars(prio.data(), prio.data() + prio.size(), p);
    if (prio.empty() || ec != std::errc() || end != prio.data() + prio.size() || p < 1 || p > 255) {
      error(col_of(prio.empty() ? rest.substr(c2) : prio),
            "priority '" + std::string(prio) + "' is not a number from 1 to 255");
      continue;
    }
    table_[std::string(name)] = Classtype{std::string(name), std::string(desc), p};
  }
  return ok;
}

bool Classifications::load_file(const std::string& path, std::vector<Diagnostic>& diags) {
  std::string text, error;
  if (!RuleFileReader::read_file(path, text, error)) {
    diags.push_back({Severity::kError, path, {}, error});
    return false;
  }
  return parse(text, path, diags);
}

const Classtype* Classifications::find(std::string_view name) const {
  auto it = table_.find(name);
  return it == table_.end() ? nullptr : &it->second;
}

}  // namespace nsm4::rules
