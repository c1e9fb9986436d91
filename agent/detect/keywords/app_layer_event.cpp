// app-layer-event: an application-layer parser raised this event on the
// transaction (app-layer-event:http.request_field_too_long,
// app-layer-event:dns.z_flag_set). Names compare without case.
#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_app_layer_event{
    "app-layer-event", "an app-layer parser raised <proto>.<event> on the transaction", 0,
    [](const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
      std::string_view v = trim(o.value);
      const size_t dot = v.find('.');
      if (dot == std::string_view::npos || dot == 0 || dot + 1 == v.size()) {
        err =
            "expected <protocol>.<event>, e.g. http.request_field_too_long; events of the "
            "app layer itself (" +
            std::string(v) + ") are not supported";
        return false;
      }
      const uint8_t proto = app::proto_from_name(v.substr(0, dot));
      if (!proto) {
        err = "protocol '" + std::string(v.substr(0, dot)) + "' needs app-layer parsing nsm4 lacks";
        return false;
      }
      if (!rb.need_app_proto(proto, err)) return false;
      std::string name(v.substr(dot + 1));
      for (char& c : name)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      rb.tx_events.push_back(std::move(name));
      return true;
    }};

}  // namespace nsm4::detect
