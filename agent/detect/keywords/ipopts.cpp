// ipopts: the IPv4 header carries an option (rr, eol, nop, ts, sec, esec,
// lsrr, ssrr, satid, any).
#include "decode/ipv4_options.h"
#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

namespace {

bool parse(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  std::string_view v = trim(o.value);
  uint16_t bit = 0;
  if (v == "any") {
    bit = 0xffff;
  } else {
    for (const Ipv4OptName& n : kIpv4OptNames)
      if (n.name == v) bit = n.bit;
  }
  if (!bit) {
    err = "unknown IP option '" + std::string(v) +
          "' (rr, eol, nop, ts, sec, esec, lsrr, ssrr, satid, any)";
    return false;
  }
  rb.matchers.push_back(
      make_matcher("ipopts", std::to_string(bit), bit, [](const uint16_t& b, const PacketCtx& c) {
        return c.p.ip_version == 4 && (c.p.ip_opts & b) != 0;
      }));
  return true;
}

}  // namespace

extern const KeywordDef kKeyword_ipopts{
    "ipopts", "the IPv4 header has this option (rr eol nop ts sec esec lsrr ssrr satid any)", 0,
    parse};

}  // namespace nsm4::detect
