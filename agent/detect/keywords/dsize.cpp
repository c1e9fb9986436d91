// dsize: the packet payload size (N, <N, >N, N<>M ...).
#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_dsize{
    "dsize", "the packet's payload size compares to N (=, <, >, <=, >=, !, N<>M)", 0,
    [](const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
      UintCmp cmp;
      if (!parse_uint_cmp(o.value, 65535, cmp, err)) return false;
      // The size of one packet: a rule with dsize never looks at the stream.
      if (rb.stream_mode == StreamMode::kEither) rb.stream_mode = StreamMode::kPacketOnly;
      rb.matchers.push_back(
          make_matcher("dsize", cmp.key(), cmp, [](const UintCmp& c, const PacketCtx& x) {
            return x.p.ip_version != 0 && c.matches(x.p.payload_len);
          }));
      return true;
    }};

}  // namespace nsm4::detect
