// ip_proto: the IP protocol number or name ([!<>]N, tcp, udp, icmp ...).
#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

namespace {

struct ProtoName {
  std::string_view name;
  uint8_t num;
};
constexpr ProtoName kNames[] = {
    {"icmp", 1},       {"igmp", 2},    {"ipip", 4},        {"tcp", 6},        {"udp", 17},
    {"ipv6", 41},      {"rsvp", 46},   {"gre", 47},        {"esp", 50},       {"ah", 51},
    {"ipv6-icmp", 58}, {"icmpv6", 58}, {"ipv6-nonxt", 59}, {"ipv6-opts", 60}, {"ipv6-route", 43},
    {"ipv6-frag", 44}, {"pim", 103},   {"sctp", 132}};

bool parse(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  std::string_view v = trim(o.value);
  std::string_view prefix;
  if (!v.empty() && (v[0] == '!' || v[0] == '<' || v[0] == '>')) {
    prefix = v.substr(0, 1);
    v = trim(v.substr(1));
  }
  std::string text(prefix);
  bool named = false;
  for (const ProtoName& n : kNames) {
    if (n.name == v) {
      text += std::to_string(n.num);
      named = true;
    }
  }
  if (!named) text += std::string(v);
  UintCmp cmp;
  if (!parse_uint_cmp(text, 255, cmp, err)) {
    err = "expected a protocol number or name, got '" + std::string(o.value) + "'";
    return false;
  }
  rb.matchers.push_back(
      make_matcher("ip_proto", cmp.key(), cmp, [](const UintCmp& m, const PacketCtx& c) {
        return c.p.ip_version != 0 && m.matches(c.p.ip_proto);
      }));
  return true;
}

}  // namespace

extern const KeywordDef kKeyword_ip_proto{"ip_proto", "the IP protocol ([!<>]number or name)", 0,
                                          parse};

}  // namespace nsm4::detect
