// icmp_seq: the ICMP echo sequence number.
#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

namespace {

// Messages that carry an identifier and a sequence number.
bool has_echo_fields(const Packet& p) {
  if (p.l4 == Layer::kIcmpv4) {
    switch (p.icmp_type) {
      case 0:
      case 8:
      case 13:
      case 14:
      case 15:
      case 16:
      case 17:
      case 18:
        return true;
      default:
        return false;
    }
  }
  return p.l4 == Layer::kIcmpv6 && (p.icmp_type == 128 || p.icmp_type == 129);
}

bool parse(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  UintCmp cmp;
  if (!parse_uint_cmp(o.value, 65535, cmp, err)) return false;
  rb.matchers.push_back(
      make_matcher("icmp_seq", cmp.key(), cmp, [](const UintCmp& m, const PacketCtx& c) {
        const Packet& p = c.p;
        return has_echo_fields(p) && m.matches(p.icmp_seq);
      }));
  return true;
}

}  // namespace

extern const KeywordDef kKeyword_icmp_seq{"icmp_seq", "the ICMP echo sequence number", 0, parse};

}  // namespace nsm4::detect
