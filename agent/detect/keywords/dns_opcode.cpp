// dns.opcode: the DNS opcode compares to N ([!]N, <N, >N, N<>M).
#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_dns_opcode{
    "dns.opcode", "the DNS opcode compares to N ([!]N, <N, >N, N<>M)", 0,
    [](const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
      std::string_view v = trim(o.value);
      TxIntCheck t;
      t.field = TxInt::kDnsOpcode;
      t.app_proto = app::kProtoDns;
      t.dirs = 1;
      if (!v.empty() && v[0] == '!') {
        t.negated = true;
        v = trim(v.substr(1));
      }
      if (!parse_uint_cmp(v, 15, t.cmp, err)) return false;
      if (!rb.need_app_proto(app::kProtoDns, err)) return false;
      rb.tx_ints.push_back(t);
      return true;
    }};

}  // namespace nsm4::detect
