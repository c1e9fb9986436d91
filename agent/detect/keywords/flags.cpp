// flags: TCP flags ([+*!]FSRPAUCE[,ignored]).
#include "detect/bit_flags.h"
#include "detect/keyword.h"

namespace nsm4::detect {

namespace {

// C and E are CWR and ECE; 1 and 2 their old names.
constexpr uint8_t kBits[] = {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x80, 0x40, 0x80, 0x40};

bool parse(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  BitMatch m;
  if (!parse_bit_match(o.value, "FSRPAUCE12", kBits, m, err)) return false;
  rb.matchers.push_back(
      make_matcher("flags", m.key(), m, [](const BitMatch& b, const PacketCtx& c) {
        return c.p.l4 == Layer::kTcp && b.matches(c.p.tcp_flags);
      }));
  return true;
}

}  // namespace

extern const KeywordDef kKeyword_flags{
    "flags", "TCP flags: [+*!]FSRPAUCE[,ignored]; + also others, * any, ! not all", 0, parse};

}  // namespace nsm4::detect
