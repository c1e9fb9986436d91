// app-layer-protocol: the flow's detected application protocol ([!]name,
// optionally followed by a mode such as ",final" that nsm4 treats alike: one
// protocol per flow). Like Suricata, neither form matches while detection
// has not concluded; "failed" matches flows where it gave up.
#include "flow/flow.h"

#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

namespace {

struct Want {
  uint8_t proto;  // app::Proto, or kNotParsed for a protocol nsm4 does not parse
  bool negated;
};
constexpr uint8_t kNotParsed = 0xff;

bool parse(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  auto parts = split(o.value, ',');
  std::string_view name = parts[0];
  Want w{0, false};
  if (!name.empty() && name[0] == '!') {
    w.negated = true;
    name = trim(name.substr(1));
  }
  if (name.empty()) {
    err = "expected a protocol name";
    return false;
  }
  w.proto = app::proto_from_name(name);
  if (!w.proto) w.proto = kNotParsed;
  rb.matchers.push_back(
      make_matcher("app-layer-protocol", o.value, w, [](const Want& w, const PacketCtx& c) {
        if (!c.flow || c.flow->app_proto == app::kProtoUnknown) return false;
        return (c.flow->app_proto == w.proto) != w.negated;
      }));
  return true;
}

}  // namespace

extern const KeywordDef kKeyword_app_layer_protocol{
    "app-layer-protocol", "the flow's application protocol ([!]name[,mode])", 0, parse};

}  // namespace nsm4::detect
