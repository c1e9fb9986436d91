// dns.opcode: the DNS opcode compares to N ([!]N, <N, >N, N<>M).
#include "detect/keyword.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_dns_opcode{
    "dns.opcode", "the DNS opcode compares to N ([!]N, <N, >N, N<>M)", 0,
    [](const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
      return rb.add_tx_uint(o.value, TxInt::kDnsOpcode, app::kProtoDns, 1, 15, err);
    }};

}  // namespace nsm4::detect
