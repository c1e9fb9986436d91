// dns.rcode: the DNS response code compares to N ([!]N, <N, >N, N<>M).
#include "detect/keyword.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_dns_rcode{
    "dns.rcode", "the DNS response code compares to N ([!]N, <N, >N, N<>M)", 0,
    [](const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
      return rb.add_tx_uint(o.value, TxInt::kDnsRcode, app::kProtoDns, 2, 15, err);
    }};

}  // namespace nsm4::detect
