#include "detect/parse_util.h"

#include <charconv>

namespace nsm4::detect {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t p = s.find(sep, start);
    out.push_back(trim(s.substr(start, p == std::string_view::npos ? s.npos : p - start)));
    if (p == std::string_view::npos) break;
    start = p + 1;
  }
  return out;
}

std::string_view unquote(std::string_view s) {
  s = trim(s);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

bool parse_int(std::string_view s, int64_t& out) {
  s = trim(s);
  if (s.empty()) return false;
  if (s.front() == '+') s.remove_prefix(1);
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool parse_uint(std::string_view s, uint64_t& out) {
  s = trim(s);
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    base = 16;
  }
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool parse_uint_cmp(std::string_view s, uint64_t max, UintCmp& out, std::string& err) {
  s = trim(s);
  auto num = [&](std::string_view t, uint64_t& v) {
    if (!parse_uint(t, v)) {
      err = "expected a number, got '" + std::string(trim(t)) + "'";
      return false;
    }
    if (v > max) {
      err = "value " + std::to_string(v) + " is above the maximum " + std::to_string(max);
      return false;
    }
    return true;
  };
  if (s.empty()) {
    err = "expected a number or a comparison";
    return false;
  }
  // Inclusive a..b (Suricata's a-b, Snort 3's a<=>b) as an exclusive range.
  auto inclusive = [&](std::string_view lo, std::string_view hi) {
    uint64_t a = 0, b = 0;
    if (!num(lo, a) || !num(hi, b)) return false;
    if (a > b) {
      err = "range must go from the lower to the higher value";
      return false;
    }
    if (a == 0) {
      out.op = UintCmp::kLe;
      out.a = b;
      return true;
    }
    out.op = UintCmp::kRange;
    out.a = a - 1;
    out.b = b + 1;
    return true;
  };
  if (size_t p = s.find("<=>"); p != std::string_view::npos)
    return inclusive(s.substr(0, p), s.substr(p + 3));
  if (size_t p = s.find("<>"); p != std::string_view::npos) {
    out.op = UintCmp::kRange;
    if (!num(s.substr(0, p), out.a) || !num(s.substr(p + 2), out.b)) return false;
    if (out.a >= out.b) {
      err = "range must go from the lower to the higher value";
      return false;
    }
    return true;
  }
  if (s.size() > 1 && s[0] != '-' && s.find('-') != std::string_view::npos) {
    size_t p = s.find('-');
    return inclusive(s.substr(0, p), s.substr(p + 1));
  }
  if (s.starts_with("<=")) {
    out.op = UintCmp::kLe;
    return num(s.substr(2), out.a);
  }
  if (s.starts_with(">=")) {
    out.op = UintCmp::kGe;
    return num(s.substr(2), out.a);
  }
  if (s[0] == '<') {
    out.op = UintCmp::kLt;
    return num(s.substr(1), out.a);
  }
  if (s[0] == '>') {
    out.op = UintCmp::kGt;
    return num(s.substr(1), out.a);
  }
  if (s[0] == '!') {
    out.op = UintCmp::kNe;
    return num(s.substr(1), out.a);
  }
  if (s[0] == '=') {
    out.op = UintCmp::kEq;
    return num(s.substr(1), out.a);
  }
  out.op = UintCmp::kEq;
  return num(s, out.a);
}

}  // namespace nsm4::detect
