// itype: the ICMP or ICMPv6 type (N, <N, >N, N<>M).
#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

namespace {

bool parse(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  UintCmp cmp;
  if (!parse_uint_cmp(o.value, 255, cmp, err)) return false;
  rb.matchers.push_back(
      make_matcher("itype", cmp.key(), cmp, [](const UintCmp& m, const PacketCtx& c) {
        const Packet& p = c.p;
        return (p.l4 == Layer::kIcmpv4 || p.l4 == Layer::kIcmpv6) && m.matches(p.icmp_type);
      }));
  return true;
}

}  // namespace

extern const KeywordDef kKeyword_itype{"itype", "the ICMP or ICMPv6 type (N, <N, >N, N<>M)", 0,
                                       parse};

}  // namespace nsm4::detect
