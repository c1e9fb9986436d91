#include <map>

#include "api/api_common.h"
#include "api/api_handlers.h"
#include "api/query_params.h"
#include "ingest/eve_timestamp.h"
#include "metrics/collector_metrics.h"
#include "nsm4/common/json_writer.h"

namespace nsm4::collector {

namespace {

struct SiteSummary {
  uint64_t agents = 0;
  uint64_t agents_up = 0;
  uint64_t agents_revoked = 0;
  int64_t last_seen_us = 0;
  uint64_t packets = 0;
  uint64_t kernel_drops = 0;
  uint64_t internal_drops = 0;
};

class SitesHandler final : public HttpHandler {
 public:
  explicit SitesHandler(CollectorServices& s) : s_(s) {}

  void handle(HttpRequest req, Respond respond) override {
    if (!api_authorized(s_, req, respond)) return;
    std::string error;
    const auto target = parse_target(req.target, error);
    if (!target) return refuse(s_, respond, RejectReason::kBadRequest, 400, error);
    if (!target->params.empty()) {
      return refuse(s_, respond, RejectReason::kBadRequest, 400,
                    "unknown parameter \"" + printable_excerpt(target->params.begin()->first) +
                        "\" (/api/v1/sites takes none)");
    }
    std::vector<AgentRecord> agents;
    try {
      agents = s_.registry.list();
    } catch (const StoreError& e) {
      return refuse(s_, respond, RejectReason::kStoreUnavailable, 503,
                    std::string("agent registry unavailable: ") + e.what());
    }
    const auto health = s_.metrics.health().snapshot();
    const auto alerts = s_.metrics.alerts_by_site();
    const int64_t now = wall_clock_us();
    std::map<std::string, SiteSummary> sites;
    for (const auto& a : agents) {
      SiteSummary& site = sites[a.site];
      ++site.agents;
      if (a.revoked) ++site.agents_revoked;
      auto it = health.find(a.name);
      if (it == health.end()) continue;
      const AgentHealth& h = it->second;
      if (agent_up(h.last_seen_us, now, s_.agent_down_after_sec)) ++site.agents_up;
      site.last_seen_us = std::max(site.last_seen_us, h.last_seen_us);
      site.packets += h.packets;
      site.kernel_drops += h.kernel_drops;
      site.internal_drops += h.internal_drops;
    }
    HttpResponse r;
    JsonWriter w(r.body);
    w.begin_object();
    w.key("sites").begin_array();
    for (const auto& [name, site] : sites) {
      w.begin_object();
      w.kv("site", std::string_view(name));
      w.kv("agents", site.agents);
      w.kv("agents_up", site.agents_up);
      w.kv("agents_revoked", site.agents_revoked);
      w.key("last_seen");
      if (site.last_seen_us > 0) {
        w.value(std::string_view(format_time(site.last_seen_us)));
      } else {
        w.null();
      }
      auto a = alerts.find(name);
      w.kv("alerts_since_start", a == alerts.end() ? uint64_t{0} : a->second);
      w.kv("packets", site.packets);
      w.key("drops").begin_object();
      w.kv("kernel", site.kernel_drops);
      w.kv("internal", site.internal_drops);
      w.end_object();
      w.end_object();
    }
    w.end_array();
    w.end_object();
    respond(std::move(r));
  }

 private:
  CollectorServices& s_;
};

}  // namespace

std::unique_ptr<HttpHandler> make_sites_handler(CollectorServices& s) {
  return std::make_unique<SitesHandler>(s);
}

}  // namespace nsm4::collector
