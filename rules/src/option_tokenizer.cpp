#include "nsm4/rules/option_tokenizer.h"

namespace nsm4::rules {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

bool fail(ParseError& err, size_t at, std::string msg) {
  err.offset = at;
  err.message = std::move(msg);
  return false;
}

}  // namespace

bool tokenize_options(std::string_view s, size_t base, std::vector<RawOption>& out,
                      ParseError& err) {
  size_t i = 0;
  while (true) {
    while (i < s.size() && is_space(s[i])) ++i;
    if (i >= s.size()) return true;
    RawOption opt;
    size_t name_start = i;
    while (i < s.size() && is_name_char(s[i])) ++i;
    if (i == name_start) {
      return fail(err, base + i, "expected an option name, found '" + std::string(1, s[i]) + "'");
    }
    opt.name = std::string(s.substr(name_start, i - name_start));
    opt.name_offset = base + name_start;
    while (i < s.size() && is_space(s[i])) ++i;
    if (i >= s.size()) {
      return fail(err, base + name_start, "option '" + opt.name + "' is not terminated by ';'");
    }
    if (s[i] == ';') {
      opt.value_offset = opt.name_offset;
      out.push_back(std::move(opt));
      ++i;
      continue;
    }
    if (s[i] != ':') {
      return fail(err, base + i,
                  "expected ':' or ';' after option '" + opt.name + "', found '" +
                      std::string(1, s[i]) + "'");
    }
    ++i;
    while (i < s.size() && is_space(s[i])) ++i;
    size_t value_start = i;
    // A value that starts with a quote (after an optional '!') is quoted: ';'
    // inside it does not end the option, and only a '"' followed by the end
    // of the value (';', or ',' for Snort 3 modifiers) closes it. This accepts
    // what Suricata accepts (it splits at the first unescaped ';', so a stray
    // inner '"' in a pcre is fine) and what Snort 3 accepts ("a;b").
    size_t q = i;
    if (q < s.size() && s[q] == '!') ++q;
    while (q < s.size() && is_space(s[q])) ++q;
    if (q < s.size() && s[q] == '"') {
      size_t quote_at = q;
      bool closed = false;
      for (i = q + 1; i < s.size(); ++i) {
        if (s[i] == '\\') {
          ++i;
          continue;
        }
        if (s[i] != '"') continue;
        size_t k = i + 1;
        while (k < s.size() && is_space(s[k])) ++k;
        if (k >= s.size() || s[k] == ';' || s[k] == ',') {
          closed = true;
          i = k;
          break;
        }
      }
      if (!closed) {
        return fail(err, base + quote_at,
                    "unterminated quoted string in option '" + opt.name + "' (missing closing \")");
      }
    }
    // The rest (Snort 3 modifiers, or an unquoted value) ends at the first
    // unescaped ';'.
    while (i < s.size() && s[i] != ';') {
      if (s[i] == '\\') ++i;
      ++i;
    }
    if (i >= s.size()) {
      return fail(err, opt.name_offset, "option '" + opt.name + "' is not terminated by ';'");
    }
    size_t value_end = i;
    while (value_end > value_start && is_space(s[value_end - 1])) --value_end;
    opt.value = std::string(s.substr(value_start, value_end - value_start));
    opt.has_value = true;
    opt.value_offset = base + value_start;
    out.push_back(std::move(opt));
    ++i;
  }
}

std::string unquote(std::string_view v) {
  while (!v.empty() && is_space(v.front())) v.remove_prefix(1);
  while (!v.empty() && is_space(v.back())) v.remove_suffix(1);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  std::string out;
  out.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size() &&
        (v[i + 1] == '"' || v[i + 1] == '\\' || v[i + 1] == ';' || v[i + 1] == ':')) {
      ++i;
    }
    out += v[i];
  }
  return out;
}

}  // namespace nsm4::rules
