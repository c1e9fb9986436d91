// seq: the TCP sequence number.
#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

namespace {

bool parse(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  UintCmp cmp;
  if (!parse_uint_cmp(o.value, 0xffffffffu, cmp, err)) return false;
  rb.matchers.push_back(
      make_matcher("seq", cmp.key(), cmp, [](const UintCmp& m, const PacketCtx& c) {
        const Packet& p = c.p;
        return p.l4 == Layer::kTcp && m.matches(p.tcp_seq);
      }));
  return true;
}

}  // namespace

extern const KeywordDef kKeyword_seq{"seq", "the TCP sequence number", 0, parse};

}  // namespace nsm4::detect
