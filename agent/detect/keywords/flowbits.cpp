// flowbits: named bits on the flow (set, unset, toggle, isset, isnotset,
// noalert; names joined with | (any) or & (all)).
#include "detect/flow_state.h"
#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

namespace {

class FlowbitsCheck : public PacketMatcher {
 public:
  FlowbitsCheck(bool want_set, bool any, std::vector<uint32_t> bits)
      : want_set_(want_set), any_(any), bits_(std::move(bits)) {}
  bool match(const PacketCtx& c) const override {
    if (!c.flow) return false;
    for (uint32_t b : bits_) {
      bool ok = (c.state && c.state->isset(b)) == want_set_;
      if (any_ && ok) return true;
      if (!any_ && !ok) return false;
    }
    return !any_;
  }
  std::string key() const override {
    std::string k = want_set_ ? "isset" : "isnotset";
    k += any_ ? '|' : '&';
    for (uint32_t b : bits_) k += std::to_string(b) + ',';
    return k;
  }

 private:
  bool want_set_, any_;
  std::vector<uint32_t> bits_;
};

bool parse(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  std::string_view v = trim(o.value);
  size_t comma = v.find(',');
  std::string_view cmd = trim(v.substr(0, comma));
  std::string_view names = comma == std::string_view::npos ? "" : trim(v.substr(comma + 1));
  if (cmd == "noalert") {
    rb.noalert = true;
    return true;
  }
  if (names.empty()) {
    err = "flowbits:" + std::string(cmd) + " needs a name";
    return false;
  }
  const bool has_or = names.find('|') != std::string_view::npos;
  const bool has_and = names.find('&') != std::string_view::npos;
  if (has_or && has_and) {
    err = "a flowbits name list uses either | or &, not both";
    return false;
  }
  std::vector<uint32_t> ids;
  for (std::string_view n : split(names, has_or ? '|' : '&')) {
    if (n.empty() || n.find_first_of(" \t") != std::string_view::npos) {
      err = "bad flowbit name '" + std::string(n) + "'";
      return false;
    }
    ids.push_back(rb.flowbit_names ? rb.flowbit_names->id(n) : 0);
  }
  if (cmd == "isset" || cmd == "isnotset") {
    rb.flowbits_read = true;
    rb.matchers.push_back(std::make_shared<FlowbitsCheck>(cmd == "isset", has_or, ids));
    return true;
  }
  FlowbitAction a;
  if (cmd == "set") {
    a.kind = FlowbitAction::kSet;
  } else if (cmd == "unset") {
    a.kind = FlowbitAction::kUnset;
  } else if (cmd == "toggle") {
    a.kind = FlowbitAction::kToggle;
  } else {
    err = "unknown flowbits command '" + std::string(cmd) +
          "' (set, unset, toggle, isset, isnotset, noalert)";
    return false;
  }
  if (has_or) {
    err = "flowbits:" + std::string(cmd) + " takes names joined with &";
    return false;
  }
  rb.flowbits_set = true;
  a.bits = std::move(ids);
  rb.flowbit_actions.push_back(std::move(a));
  return true;
}

}  // namespace

extern const KeywordDef kKeyword_flowbits{
    "flowbits",
    "named bits on the flow: set, unset, toggle, isset, isnotset (| any, & all), "
    "noalert",
    0, parse};

}  // namespace nsm4::detect
