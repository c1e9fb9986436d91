// ack: the TCP acknowledgement number.
#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

namespace {

bool parse(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  UintCmp cmp;
  if (!parse_uint_cmp(o.value, 0xffffffffu, cmp, err)) return false;
  rb.matchers.push_back(
      make_matcher("ack", cmp.key(), cmp, [](const UintCmp& m, const PacketCtx& c) {
        const Packet& p = c.p;
        return p.l4 == Layer::kTcp && m.matches(p.tcp_ack);
      }));
  return true;
}

}  // namespace

extern const KeywordDef kKeyword_ack{"ack", "the TCP acknowledgement number", 0, parse};

}  // namespace nsm4::detect
