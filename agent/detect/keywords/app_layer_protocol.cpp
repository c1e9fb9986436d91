// app-layer-protocol: the flow's detected application protocol ([!]name).
// Protocol detection arrives with issue 4: until then every flow's protocol
// is unknown, and like Suricata the keyword does not match while it is.
#include "flow/flow.h"

#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

namespace {

bool parse(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  auto parts = split(o.value, ',');
  std::string_view name = parts[0];
  if (!name.empty() && name[0] == '!') name = trim(name.substr(1));
  if (name.empty()) {
    err = "expected a protocol name";
    return false;
  }
  rb.matchers.push_back(
      make_matcher("app-layer-protocol", o.value, 0, [](const int&, const PacketCtx& c) {
        return c.flow && c.flow->app_proto != kAppProtoUnknown && false;
      }));
  return true;
}

}  // namespace

extern const KeywordDef kKeyword_app_layer_protocol{
    "app-layer-protocol", "the flow's application protocol ([!]name)", 0, parse};

}  // namespace nsm4::detect
