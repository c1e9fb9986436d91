// window: the TCP window size ([!]N).
#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

namespace {

bool parse(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  UintCmp cmp;
  if (!parse_uint_cmp(o.value, 65535, cmp, err)) return false;
  rb.matchers.push_back(
      make_matcher("window", cmp.key(), cmp, [](const UintCmp& m, const PacketCtx& c) {
        const Packet& p = c.p;
        return p.l4 == Layer::kTcp && m.matches(p.tcp_window);
      }));
  return true;
}

}  // namespace

extern const KeywordDef kKeyword_window{"window", "the TCP window size ([!]N)", 0, parse};

}  // namespace nsm4::detect
