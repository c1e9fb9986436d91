// id: the IPv4 identification field.
#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

namespace {

bool parse(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  UintCmp cmp;
  if (!parse_uint_cmp(o.value, 65535, cmp, err)) return false;
  rb.matchers.push_back(
      make_matcher("id", cmp.key(), cmp, [](const UintCmp& m, const PacketCtx& c) {
        const Packet& p = c.p;
        return p.ip_version == 4 && m.matches(p.ip_id);
      }));
  return true;
}

}  // namespace

extern const KeywordDef kKeyword_id{"id", "the IPv4 identification field", 0, parse};

}  // namespace nsm4::detect
