#include "nsm4/rules/net_expr.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <vector>

namespace nsm4::rules {

namespace {

constexpr int kMaxVariableDepth = 16;

bool is_space(char c) {
  return c == ' ' || c == '\t';
}
bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}
bool ends_literal(char c) {
  return c == ',' || c == '[' || c == ']' || c == '!' || is_space(c);
}

bool parse_uint(std::string_view s, unsigned max, unsigned& out) {
  if (s.empty() || s.size() > 10) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  unsigned long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v > max) return false;
  out = static_cast<unsigned>(v);
  return true;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// The closest defined name within two edits, for "did you mean" hints.
template <typename Map>
std::string closest(const Map& names, std::string_view name) {
  std::string best;
  size_t best_d = 3;
  for (const auto& [n, v] : names) {
    size_t d = edit_distance(n, name);
    if (d < best_d) {
      best_d = d;
      best = n;
    }
  }
  return best;
}

struct AddressTraits {
  using Set = AddressSet;
  static constexpr const char* kKind = "address";
  static constexpr const char* kOtherKind = "port";
  static constexpr const char* kGroupsKey = "address-groups";
  static Set any() { return AddressSet::any(); }
  static const std::string* lookup(const Variables& v, std::string_view n) { return v.address(n); }
  static std::string suggest(const Variables& v, std::string_view n) {
    return closest(v.addresses(), n);
  }
  static const std::string* lookup_other(const Variables& v, std::string_view n) {
    return v.port(n);
  }

  static bool literal(std::string_view tok, Set& out, std::string& error) {
    if (tok == "any") {
      out = AddressSet::any();
      return true;
    }
    size_t slash = tok.find('/');
    std::string_view host = tok.substr(0, slash);
    if (auto v4 = parse_ipv4(host)) {
      unsigned prefix = 32;
      if (slash != std::string_view::npos) {
        std::string_view p = tok.substr(slash + 1);
        if (auto mask = parse_ipv4(p)) {
          // Netmask form: 10.0.0.0/255.0.0.0; the mask must be contiguous.
          uint32_t m = *mask;
          if ((~m & (~m + 1)) != 0) {
            error = "netmask '" + std::string(p) + "' is not contiguous";
            return false;
          }
          prefix = static_cast<unsigned>(__builtin_popcount(m));
        } else if (!parse_uint(p, 32, prefix)) {
          error = "invalid IPv4 prefix length '/" + std::string(p) + "' (expected 0 to 32)";
          return false;
        }
      }
      out = AddressSet::v4_cidr(*v4, static_cast<int>(prefix));
      return true;
    }
    if (auto v6 = parse_ipv6(host)) {
      unsigned prefix = 128;
      if (slash != std::string_view::npos && !parse_uint(tok.substr(slash + 1), 128, prefix)) {
        error = "invalid IPv6 prefix length '/" + std::string(tok.substr(slash + 1)) +
                "' (expected 0 to 128)";
        return false;
      }
      out = AddressSet::v6_cidr(*v6, static_cast<int>(prefix));
      return true;
    }
    size_t dash = tok.find('-');
    if (dash != std::string_view::npos && parse_ipv4(tok.substr(0, dash))) {
      error = "address ranges like '" + std::string(tok) + "' are not supported; use CIDR blocks";
    } else {
      error = quoted(tok) + " is not an IPv4 or IPv6 address, a CIDR block or 'any'";
    }
    return false;
  }
};

struct PortTraits {
  using Set = PortSet;
  static constexpr const char* kKind = "port";
  static constexpr const char* kOtherKind = "address";
  static constexpr const char* kGroupsKey = "port-groups";
  static Set any() { return PortSet::any(); }
  static const std::string* lookup(const Variables& v, std::string_view n) { return v.port(n); }
  static std::string suggest(const Variables& v, std::string_view n) {
    return closest(v.ports(), n);
  }
  static const std::string* lookup_other(const Variables& v, std::string_view n) {
    return v.address(n);
  }

  static bool literal(std::string_view tok, Set& out, std::string& error) {
    if (tok == "any") {
      out = PortSet::any();
      return true;
    }
    size_t colon = tok.find(':');
    unsigned lo = 0, hi = 0xffff;
    auto bad = [&](std::string_view part) {
      error = quoted(part) + " is not a port number (0 to 65535)";
      return false;
    };
    if (colon == std::string_view::npos) {
      if (!parse_uint(tok, 0xffff, lo)) return bad(tok);
      hi = lo;
    } else {
      std::string_view a = tok.substr(0, colon), b = tok.substr(colon + 1);
      if (a.empty() && b.empty()) return bad(tok);
      if (!a.empty() && !parse_uint(a, 0xffff, lo)) return bad(a);
      if (!b.empty() && !parse_uint(b, 0xffff, hi)) return bad(b);
      if (lo > hi) {
        error = "port range '" + std::string(tok) + "' is reversed (the first port must be lower)";
        return false;
      }
    }
    out = PortSet::range(static_cast<uint16_t>(lo), static_cast<uint16_t>(hi));
    return true;
  }
};

template <typename Traits>
class ExprParser {
 public:
  using Set = typename Traits::Set;
  ExprParser(std::string_view text, const Variables& vars, std::vector<std::string>& stack,
             ParseError& err)
      : s_(text), vars_(vars), stack_(stack), err_(err) {}

  bool parse(Set& out) {
    if (!expr(out)) return false;
    skip_ws();
    if (i_ < s_.size()) return fail(i_, "unexpected '" + std::string(1, s_[i_]) + "'");
    return true;
  }

 private:
  bool fail(size_t at, std::string msg) {
    err_.offset = at;
    err_.message = std::move(msg);
    return false;
  }
  void skip_ws() {
    while (i_ < s_.size() && is_space(s_[i_])) ++i_;
  }

  bool expr(Set& out) {
    skip_ws();
    bool neg = false;
    while (i_ < s_.size() && s_[i_] == '!') {
      neg = !neg;
      ++i_;
      skip_ws();
    }
    if (!term(out)) return false;
    if (neg) out = out.complement();
    return true;
  }

  bool term(Set& out) {
    if (i_ >= s_.size()) return fail(i_, std::string("expected an ") + Traits::kKind + " here");
    char c = s_[i_];
    if (c == '[') return group(out);
    if (c == '$') return variable(out);
    size_t start = i_;
    while (i_ < s_.size() && !ends_literal(s_[i_])) ++i_;
    if (i_ == start) {
      return fail(start, std::string("expected ") + (Traits::kKind[0] == 'a' ? "an " : "a ") +
                             Traits::kKind + ", found '" + std::string(1, c) + "'");
    }
    std::string error;
    if (!Traits::literal(s_.substr(start, i_ - start), out, error)) return fail(start, error);
    return true;
  }

  bool group(Set& out) {
    size_t open = i_++;
    Set pos, negs;
    bool have_pos = false, first = true;
    while (true) {
      skip_ws();
      if (i_ >= s_.size()) return fail(open, "unterminated group: missing ']'");
      if (s_[i_] == ']') {
        if (first) return fail(open, "empty group '[]'");
        ++i_;
        break;
      }
      if (!first) {
        if (s_[i_] != ',') return fail(i_, "expected ',' or ']' in group");
        ++i_;
        skip_ws();
      }
      first = false;
      bool neg = false;
      while (i_ < s_.size() && s_[i_] == '!') {
        neg = !neg;
        ++i_;
        skip_ws();
      }
      Set elem;
      if (!term(elem)) return false;
      if (neg) {
        negs = negs.unite(elem);
      } else {
        pos = pos.unite(elem);
        have_pos = true;
      }
    }
    out = (have_pos ? pos : Traits::any()).subtract(negs);
    return true;
  }

  bool variable(Set& out) {
    size_t start = i_++;
    while (i_ < s_.size() && is_name_char(s_[i_])) ++i_;
    std::string name(s_.substr(start + 1, i_ - start - 1));
    if (name.empty()) return fail(start, "'$' must be followed by a variable name");
    const std::string* value = Traits::lookup(vars_, name);
    if (!value) {
      if (Traits::lookup_other(vars_, name)) {
        return fail(start, "$" + name + " is " + (Traits::kOtherKind[0] == 'a' ? "an " : "a ") +
                               Traits::kOtherKind + " variable, used here as " +
                               (Traits::kKind[0] == 'a' ? "an " : "a ") + Traits::kKind);
      }
      std::string hint = Traits::suggest(vars_, name);
      std::string msg = "undefined " + std::string(Traits::kKind) + " variable $" + name + " (";
      if (!hint.empty()) msg += "did you mean $" + hint + "? otherwise ";
      msg += "define vars." + std::string(Traits::kGroupsKey) + "." + name +
             " in agent.yaml, or --var " + name + "=...)";
      return fail(start, msg);
    }
    for (const std::string& s : stack_) {
      if (s == name) return fail(start, "variable $" + name + " refers to itself");
    }
    if (stack_.size() >= kMaxVariableDepth) {
      return fail(start, "variables nested too deeply at $" + name);
    }
    stack_.push_back(name);
    ParseError inner;
    ExprParser sub(*value, vars_, stack_, inner);
    bool ok = sub.parse(out);
    stack_.pop_back();
    if (!ok) return fail(start, "in $" + name + " = \"" + *value + "\": " + inner.message);
    return true;
  }

  std::string_view s_;
  size_t i_ = 0;
  const Variables& vars_;
  std::vector<std::string>& stack_;
  ParseError& err_;
};

template <typename Traits>
bool parse_top(std::string_view text, const Variables& vars, typename Traits::Set& out,
               ParseError& err) {
  std::vector<std::string> stack;
  ExprParser<Traits> p(text, vars, stack, err);
  typename Traits::Set result;
  if (!p.parse(result)) return false;
  if (result.empty()) {
    err.offset = 0;
    err.message = quoted(text) + " matches no " + Traits::kKind + " at all";
    return false;
  }
  out = std::move(result);
  return true;
}

}  // namespace

bool parse_address_expr(std::string_view text, const Variables& vars, AddressSet& out,
                        ParseError& err) {
  return parse_top<AddressTraits>(text, vars, out, err);
}

bool parse_port_expr(std::string_view text, const Variables& vars, PortSet& out, ParseError& err) {
  return parse_top<PortTraits>(text, vars, out, err);
}

}  // namespace nsm4::rules
