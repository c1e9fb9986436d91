// ttl: the IP TTL or hop limit (N, <N, >N, N-M, N<>M).
#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

namespace {

bool parse(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  UintCmp cmp;
  if (!parse_uint_cmp(o.value, 255, cmp, err)) return false;
  rb.matchers.push_back(
      make_matcher("ttl", cmp.key(), cmp, [](const UintCmp& m, const PacketCtx& c) {
        const Packet& p = c.p;
        return p.ip_version != 0 && m.matches(p.ttl);
      }));
  return true;
}

}  // namespace

extern const KeywordDef kKeyword_ttl{"ttl", "the IP TTL or hop limit (N, <N, >N, N-M, N<>M)", 0,
                                     parse};

}  // namespace nsm4::detect
