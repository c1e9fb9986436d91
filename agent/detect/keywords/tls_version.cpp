// tls.version: the TLS version of the handshake (1.0, 1.1, 1.2, 1.3, ssl3 or
// a 16-bit number like 0x7f14).
#include <cstdlib>

#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

namespace {

bool version_value(std::string_view v, uint64_t& out) {
  struct Name {
    std::string_view text;
    uint16_t value;
  };
  static constexpr Name kNames[] = {{"1.0", 0x0301}, {"1.1", 0x0302},  {"1.2", 0x0303},
                                    {"1.3", 0x0304}, {"ssl3", 0x0300}, {"3.0", 0x0300}};
  for (const Name& n : kNames)
    if (n.text == v) {
      out = n.value;
      return true;
    }
  int64_t n = 0;
  if (!parse_int(v, n) || n < 0 || n > 0xffff) return false;
  out = static_cast<uint64_t>(n);
  return true;
}

}  // namespace

extern const KeywordDef kKeyword_tls_version{
    "tls.version", "the TLS version of the handshake (1.0, 1.1, 1.2, 1.3, ssl3 or 0x7f14)", 0,
    [](const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
      std::string_view v = unquote(trim(o.value));
      TxIntCheck t;
      t.field = TxInt::kTlsVersion;
      t.app_proto = app::kProtoTls;
      t.dirs = 3;
      if (!v.empty() && v[0] == '!') {
        t.negated = true;
        v = trim(v.substr(1));
      }
      if (!version_value(v, t.cmp.a)) {
        err = "expected 1.0, 1.1, 1.2, 1.3, ssl3 or a number, got '" + std::string(v) + "'";
        return false;
      }
      if (!rb.need_app_proto(app::kProtoTls, err)) return false;
      rb.tx_ints.push_back(t);
      return true;
    }};

}  // namespace nsm4::detect
