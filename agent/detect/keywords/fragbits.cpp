// fragbits: IPv4 fragmentation bits ([+*!]MDR[,ignored]).
#include "detect/bit_flags.h"
#include "detect/keyword.h"

namespace nsm4::detect {

namespace {

constexpr uint8_t kBits[] = {0x01, 0x02, 0x04};  // M, D, R

bool parse(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  BitMatch m;
  if (!parse_bit_match(o.value, "MDR", kBits, m, err)) return false;
  rb.matchers.push_back(
      make_matcher("fragbits", m.key(), m, [](const BitMatch& b, const PacketCtx& c) {
        if (c.p.ip_version != 4) return false;
        uint8_t v = static_cast<uint8_t>((c.p.frag_more ? 1 : 0) | (c.p.frag_df ? 2 : 0) |
                                         (c.p.frag_rf ? 4 : 0));
        return b.matches(v);
      }));
  return true;
}

}  // namespace

extern const KeywordDef kKeyword_fragbits{
    "fragbits", "IPv4 fragment bits: [+*!]MDR (more fragments, don't fragment, reserved)", 0,
    parse};

}  // namespace nsm4::detect
