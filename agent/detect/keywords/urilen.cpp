// urilen: the HTTP URI's length (N, <N, >N, N<>M), normalised by default or
// raw ("urilen:>100,raw").
#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_urilen{
    "urilen", "the HTTP URI's length compares to N (=, <, >, N<>M); ',raw' for the URI as sent", 0,
    [](const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
      std::string_view v = trim(o.value);
      TxIntCheck t;
      t.field = TxInt::kHttpUriLen;
      t.app_proto = app::kProtoHttp;
      t.dirs = 1;
      if (size_t comma = v.find(','); comma != std::string_view::npos) {
        std::string_view which = trim(v.substr(comma + 1));
        if (which == "raw") {
          t.field = TxInt::kHttpUriRawLen;
        } else if (which != "norm") {
          err = "expected 'raw' or 'norm' after the comma, got '" + std::string(which) + "'";
          return false;
        }
        v = trim(v.substr(0, comma));
      }
      if (!parse_uint_cmp(v, 0xffffffffu, t.cmp, err)) return false;
      if (!rb.need_app_proto(app::kProtoHttp, err)) return false;
      rb.tx_ints.push_back(t);
      return true;
    }};

}  // namespace nsm4::detect
