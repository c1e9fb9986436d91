#include "nsm4/rules/rule_parser.h"

#include <charconv>

#include "nsm4/rules/net_expr.h"
#include "nsm4/rules/option_tokenizer.h"
#include "nsm4/rules/snort3.h"

namespace nsm4::rules {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

struct Token {
  std::string_view text;
  size_t offset;
};

struct ActionName {
  std::string_view name;
  Action action;
};

constexpr ActionName kActions[] = {
    {"alert", Action::kAlert},
    {"pass", Action::kPass},
    {"drop", Action::kDrop},
    {"reject", Action::kReject},
    {"rejectsrc", Action::kRejectSrc},
    {"rejectdst", Action::kRejectDst},
    {"rejectboth", Action::kRejectBoth},
    {"config", Action::kConfig},
};

// Splits the header on whitespace, keeping [ ... ] groups (which may contain
// spaces) in one token.
std::vector<Token> split_header(std::string_view text, size_t end) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < end) {
    while (i < end && is_space(text[i])) ++i;
    if (i >= end) break;
    size_t start = i;
    int depth = 0;
    while (i < end && (depth > 0 || !is_space(text[i]))) {
      if (text[i] == '[') ++depth;
      if (text[i] == ']' && depth > 0) --depth;
      ++i;
    }
    out.push_back({text.substr(start, i - start), start});
  }
  return out;
}

bool parse_u32(std::string_view s, uint32_t& out) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_commas(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t c = s.find(',', start);
    if (c == std::string_view::npos) c = s.size();
    std::string_view part = trim(s.substr(start, c - start));
    if (!part.empty()) out.push_back(part);
    start = c + 1;
  }
  return out;
}

class Parser {
 public:
  Parser(const LogicalRule& line, const ParseContext& ctx, ParseOutcome& out)
      : line_(line), text_(line.text()), ctx_(ctx), out_(out) {}

  void run() {
    Rule& r = out_.rule;
    r.file = ctx_.file;
    r.text = line_.text();
    if (!header() || !options() || !meta() || !contents()) {
      out_.status = ParseStatus::kError;
      return;
    }
    if (r.sid == 0 && !sid_seen_) {
      error(header_start_, "rule has no sid (every rule needs sid:<number>;)");
      out_.status = ParseStatus::kError;
      return;
    }
    if (!support()) {
      out_.status = out_.unsupported.empty() ? ParseStatus::kError : ParseStatus::kSkipped;
      return;
    }
    out_.status = ParseStatus::kLoaded;
  }

 private:
  bool error(size_t offset, std::string msg) {
    out_.diagnostics.push_back({Severity::kError, ctx_.file, line_.pos_at(offset), std::move(msg)});
    return false;
  }
  void warning(size_t offset, std::string msg) {
    out_.diagnostics.push_back(
        {Severity::kWarning, ctx_.file, line_.pos_at(offset), std::move(msg)});
  }

  bool header() {
    Rule& r = out_.rule;
    size_t paren = text_.find('(');
    size_t header_end = paren == std::string_view::npos ? text_.size() : paren;
    std::vector<Token> toks = split_header(text_, header_end);
    if (toks.empty()) return error(0, "empty rule");
    header_start_ = toks[0].offset;
    r.pos = line_.pos_at(header_start_);

    bool found = false;
    for (const ActionName& a : kActions) {
      if (a.name == toks[0].text) {
        r.action = a.action;
        found = true;
      }
    }
    if (!found) {
      return error(toks[0].offset, "unknown action '" + std::string(toks[0].text) +
                                       "' (expected alert, pass, drop, reject, rejectsrc, "
                                       "rejectdst or rejectboth)");
    }
    if (toks.size() < 2) return error(header_end, "missing protocol after the action");
    r.proto = find_protocol(toks[1].text);
    if (!r.proto) {
      return error(toks[1].offset, "unknown protocol '" + std::string(toks[1].text) +
                                       "' (e.g. ip, tcp, udp, icmp, icmpv6, http, dns, tls)");
    }
    if (toks.size() == 2 && paren != std::string_view::npos) {
      // Snort 3 service rule: "alert http (...)" means any any -> any any.
      r.src = {"any", AddressSet::any(), line_.pos_at(header_end)};
      r.dst = r.src;
      r.src_ports = {"any", PortSet::any(), line_.pos_at(header_end)};
      r.dst_ports = r.src_ports;
      return true;
    }
    if (toks.size() < 7) {
      return error(toks.back().offset + toks.back().text.size(),
                   "incomplete rule header: expected 'action protocol source source-ports "
                   "-> destination destination-ports (options)'");
    }
    if (toks.size() > 7) {
      return error(toks[7].offset, "unexpected '" + std::string(toks[7].text) +
                                       "' after the destination ports (missing '('?)");
    }
    if (!address(toks[2], r.src) || !ports(toks[3], r.src_ports)) return false;
    if (toks[4].text == "->") {
      r.direction = Direction::kToDst;
    } else if (toks[4].text == "<>") {
      r.direction = Direction::kBoth;
    } else if (toks[4].text == "=>") {
      r.direction = Direction::kTransaction;
    } else if (toks[4].text == "<-") {
      return error(toks[4].offset,
                   "'<-' is not a direction: swap source and destination and "
                   "use '->'");
    } else {
      return error(toks[4].offset, "expected the direction '->', '<>' or '=>', found '" +
                                       std::string(toks[4].text) + "'");
    }
    if (!address(toks[5], r.dst) || !ports(toks[6], r.dst_ports)) return false;
    if (paren == std::string_view::npos) {
      return error(text_.size(), "missing '(' : the rule has no options");
    }
    return true;
  }

  bool address(const Token& t, AddressSpec& spec) {
    spec.text = std::string(t.text);
    spec.pos = line_.pos_at(t.offset);
    ParseError e;
    if (!parse_address_expr(t.text, *ctx_.vars, spec.set, e)) {
      return error(t.offset + e.offset, e.message);
    }
    return true;
  }

  bool ports(const Token& t, PortSpec& spec) {
    spec.text = std::string(t.text);
    spec.pos = line_.pos_at(t.offset);
    ParseError e;
    if (!parse_port_expr(t.text, *ctx_.vars, spec.set, e)) {
      return error(t.offset + e.offset, e.message);
    }
    return true;
  }

  bool options() {
    size_t open = text_.find('(');
    size_t close = text_.rfind(')');
    if (close == std::string_view::npos || close < open) {
      return error(text_.size(), "missing ')' at the end of the rule");
    }
    for (size_t i = close + 1; i < text_.size(); ++i) {
      if (!is_space(text_[i])) {
        return error(i, "unexpected text after the closing ')'");
      }
    }
    std::vector<RawOption> raw;
    ParseError e;
    if (!tokenize_options(std::string_view(text_).substr(open + 1, close - open - 1), open + 1, raw,
                          e)) {
      return error(e.offset, e.message);
    }
    Dialect d = ctx_.dialect;
    if (d == Dialect::kAuto) d = looks_like_snort3(raw) ? Dialect::kSnort3 : Dialect::kSuricata;
    out_.rule.dialect = d;
    if (d == Dialect::kSnort3 && !translate_snort3(raw, e)) return error(e.offset, e.message);
    for (RawOption& o : raw) {
      RuleOption opt;
      opt.name = std::move(o.name);
      opt.value = std::move(o.value);
      opt.has_value = o.has_value;
      opt.pos = line_.pos_at(o.name_offset);
      opt.value_pos = line_.pos_at(o.value_offset);
      out_.rule.options.push_back(std::move(opt));
      offsets_.push_back({o.name_offset, o.value_offset});
    }
    return true;
  }

  bool need_value(size_t i) {
    const RuleOption& o = out_.rule.options[i];
    if (!o.has_value || trim(o.value).empty()) {
      return error(offsets_[i].name, "option '" + o.name + "' needs a value (" + o.name + ":...;)");
    }
    return true;
  }

  bool meta() {
    Rule& r = out_.rule;
    bool explicit_priority = false;
    for (size_t i = 0; i < r.options.size(); ++i) {
      const RuleOption& o = r.options[i];
      const std::string& n = o.name;
      if (!is_parser_keyword(n)) continue;
      if (!need_value(i)) return false;
      size_t at = offsets_[i].value;
      if (n == "msg") {
        r.msg = unquote(o.value);
      } else if (n == "sid" || n == "rev" || n == "gid") {
        uint32_t v = 0;
        if (!parse_u32(o.value, v) || (n == "sid" && v == 0)) {
          return error(at, n + " must be a " + (n == "sid" ? "positive" : "non-negative") +
                               " integer, got '" + o.value + "'");
        }
        if (n == "sid") {
          if (sid_seen_) return error(offsets_[i].name, "sid is given twice in this rule");
          sid_seen_ = true;
          r.sid = v;
        } else if (n == "rev") {
          r.rev = v;
        } else {
          r.gid = v;
        }
      } else if (n == "priority") {
        uint32_t v = 0;
        if (!parse_u32(o.value, v) || v < 1 || v > 255) {
          return error(at, "priority must be a number from 1 to 255, got '" + o.value + "'");
        }
        r.priority = static_cast<int>(v);
        explicit_priority = true;
      } else if (n == "classtype") {
        r.classtype = std::string(trim(o.value));
        if (ctx_.classifications) {
          const Classtype* c = ctx_.classifications->find(r.classtype);
          if (!c) {
            warning(at, "unknown classtype '" + r.classtype +
                            "' (not in classification.config); the rule has no category");
          } else if (!explicit_priority) {
            r.priority = c->priority;
          }
        }
      } else if (n == "reference") {
        std::string_view v = trim(o.value);
        size_t comma = v.find(',');
        if (comma == std::string_view::npos) {
          return error(at, "reference must be 'system,id' (e.g. reference:cve,2021-44228;)");
        }
        r.references.push_back(
            {std::string(trim(v.substr(0, comma))), std::string(trim(v.substr(comma + 1)))});
      } else if (n == "metadata") {
        for (std::string_view part : split_commas(o.value)) {
          size_t sp = part.find_first_of(" \t");
          MetadataEntry e;
          e.key = std::string(part.substr(0, sp));
          if (sp != std::string_view::npos) e.value = std::string(trim(part.substr(sp)));
          r.metadata.push_back(std::move(e));
        }
      } else if (n == "target") {
        std::string_view v = trim(o.value);
        if (v != "src_ip" && v != "dest_ip") {
          return error(at, "target must be src_ip or dest_ip, got '" + o.value + "'");
        }
        r.target = std::string(v);
      } else if (n == "service") {
        for (std::string_view s : split_commas(o.value)) r.services.emplace_back(s);
      }
    }
    return true;
  }

  bool contents() {
    for (size_t i = 0; i < out_.rule.options.size(); ++i) {
      RuleOption& o = out_.rule.options[i];
      if (o.name != "content" && o.name != "uricontent") continue;
      if (!need_value(i)) return false;
      ContentValue v;
      ParseError e;
      if (!parse_content(o.value, offsets_[i].value, v, e)) return error(e.offset, e.message);
      o.content = std::move(v);
    }
    return true;
  }

  // Sets out_.unsupported; returns false when the rule cannot be loaded.
  bool support() {
    const KeywordRegistry& reg = *ctx_.registry;
    auto note = [&](std::string name, Support s) {
      for (const std::string& u : out_.unsupported)
        if (u == name) return;
      out_.unsupported.push_back(std::move(name));
      out_.unsupported_support.push_back(s);
    };
    Support ps = reg.protocol_support(*out_.rule.proto);
    if (ps != Support::kSupported) note("protocol " + std::string(out_.rule.proto->name), ps);
    for (const RuleOption& o : out_.rule.options) {
      if (is_parser_keyword(o.name)) continue;
      Support s = reg.keyword_support(o.name);
      if (s != Support::kSupported) note(o.name, s);
    }
    if (!out_.unsupported.empty()) return false;
    for (size_t i = 0; i < out_.rule.options.size(); ++i) {
      const RuleOption& o = out_.rule.options[i];
      if (is_parser_keyword(o.name)) continue;
      std::string msg;
      if (!reg.validate(o, msg)) {
        error(o.has_value ? offsets_[i].value : offsets_[i].name, o.name + ": " + msg);
        return false;
      }
    }
    return true;
  }

  struct Offsets {
    size_t name, value;
  };
  const LogicalRule& line_;
  const std::string& text_;
  const ParseContext& ctx_;
  ParseOutcome& out_;
  std::vector<Offsets> offsets_;
  size_t header_start_ = 0;
  bool sid_seen_ = false;
};

}  // namespace

ParseOutcome parse_rule(const LogicalRule& line, const ParseContext& ctx) {
  ParseOutcome out;
  if (ctx.vars && ctx.registry) {
    Parser(line, ctx, out).run();
    return out;
  }
  // Defaults for a caller that gave none.
  Variables vars = Variables::suricata_defaults();
  std::unique_ptr<KeywordRegistry> registry = make_default_registry();
  ParseContext full = ctx;
  if (!full.vars) full.vars = &vars;
  if (!full.registry) full.registry = registry.get();
  Parser(line, full, out).run();
  return out;
}

ParseOutcome parse_rule_text(std::string_view text, const ParseContext& ctx) {
  ReadResult read = RuleFileReader::read_text(text);
  if (read.rules.empty()) {
    ParseOutcome out;
    out.diagnostics.push_back({Severity::kError, ctx.file, {1, 1}, "no rule in the text"});
    return out;
  }
  return parse_rule(read.rules.front(), ctx);
}

}  // namespace nsm4::rules
