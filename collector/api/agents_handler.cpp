#include "api/api_common.h"
#include "api/api_handlers.h"
#include "api/query_params.h"
#include "ingest/eve_timestamp.h"
#include "metrics/collector_metrics.h"
#include "nsm4/common/json_writer.h"

namespace nsm4::collector {

namespace {

void write_health(JsonWriter& w, const AgentHealth& h) {
  w.begin_object();
  w.kv("heartbeat_time", std::string_view(format_time(h.heartbeat_ts_us)));
  w.kv("uptime_sec", h.uptime_sec);
  w.kv("packets", h.packets);
  w.kv("kernel_packets", h.kernel_packets);
  w.key("bytes").begin_object();
  w.kv("ipv4", h.bytes_ipv4);
  w.kv("ipv6", h.bytes_ipv6);
  w.end_object();
  w.key("drops").begin_object();
  w.kv("kernel", h.kernel_drops);
  w.kv("internal", h.internal_drops);
  w.end_object();
  w.kv("flows", h.flows);
  w.key("rules").begin_object();
  w.kv("version", std::string_view(h.ruleset_version));
  w.kv("loaded", h.rules_loaded);
  w.kv("failed", h.rules_failed);
  w.end_object();
  w.key("spool");
  if (h.has_forwarder) {
    w.begin_object();
    w.kv("batches", h.forward.spool_batches);
    w.kv("bytes", h.forward.spool_bytes);
    w.kv("dropped_batches", h.forward.dropped_batches);
    w.kv("dropped_events", h.forward.dropped_events);
    w.kv("sent_batches", h.forward.sent_batches);
    w.kv("retries", h.forward.retries);
    w.end_object();
  } else {
    w.null();
  }
  w.end_object();
}

class AgentsHandler final : public HttpHandler {
 public:
  explicit AgentsHandler(CollectorServices& s) : s_(s) {}

  void handle(HttpRequest req, Respond respond) override {
    if (!api_authorized(s_, req, respond)) return;
    std::string error;
    const auto target = parse_target(req.target, error);
    if (!target) return refuse(s_, respond, RejectReason::kBadRequest, 400, error);
    std::optional<std::string> site;
    for (const auto& [name, value] : target->params) {
      if (name != "site") {
        return refuse(s_, respond, RejectReason::kBadRequest, 400,
                      "unknown parameter \"" + printable_excerpt(name) + "\" (site)");
      }
      if (!valid_name(value)) {
        return refuse(s_, respond, RejectReason::kBadRequest, 400,
                      "site: must be 1-64 characters of [0-9a-zA-Z_.-]");
      }
      site = value;
    }
    std::vector<AgentRecord> agents;
    try {
      agents = s_.registry.list();
    } catch (const StoreError& e) {
      return refuse(s_, respond, RejectReason::kStoreUnavailable, 503,
                    std::string("agent registry unavailable: ") + e.what());
    }
    const auto health = s_.metrics.health().snapshot();
    const int64_t now = wall_clock_us();
    HttpResponse r;
    JsonWriter w(r.body);
    w.begin_object();
    w.key("agents").begin_array();
    for (const auto& a : agents) {
      if (site && a.site != *site) continue;
      auto it = health.find(a.name);
      const AgentHealth* h = it == health.end() ? nullptr : &it->second;
      w.begin_object();
      w.kv("name", std::string_view(a.name));
      w.kv("site", std::string_view(a.site));
      w.kv("up", h != nullptr && agent_up(h->last_seen_us, now, s_.agent_down_after_sec));
      w.key("last_seen");
      if (h && h->last_seen_us > 0) {
        w.value(std::string_view(format_time(h->last_seen_us)));
      } else {
        w.null();
      }
      w.key("version");
      if (h && !h->version.empty()) {
        w.value(std::string_view(h->version));
      } else {
        w.null();
      }
      w.kv("revoked", a.revoked);
      w.key("health");
      if (h && h->has_heartbeat) {
        write_health(w, *h);
      } else {
        w.null();
      }
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

std::unique_ptr<HttpHandler> make_agents_handler(CollectorServices& s) {
  return std::make_unique<AgentsHandler>(s);
}

}  // namespace nsm4::collector
