#include <string_view>
#include <vector>

#include "api/api_handlers.h"
#include "api/query_params.h"
#include "app/collector_services.h"
#include "ingest/eve_timestamp.h"
#include "ingest/ingest_handler.h"
#include "metrics/collector_metrics.h"
#include "metrics/metrics_handler.h"
#include "nsm4/common/wire.h"

namespace nsm4::collector {

namespace {

struct Route {
  std::string_view path;
  bool prefix;  // path + "/<anything>"
  std::string_view method;
  std::unique_ptr<HttpHandler> handler;

  bool matches(std::string_view p) const {
    if (p == path) return true;
    return prefix && p.size() > path.size() && p.substr(0, path.size()) == path &&
           p[path.size()] == '/';
  }
};

class Router final : public HttpHandler {
 public:
  explicit Router(CollectorServices& s) : s_(s) {
    add(wire::kEventsPath, false, "POST", make_ingest_handler(s));
    add("/api/v1/alerts", true, "GET", make_alerts_handler(s));
    add("/api/v1/agents", false, "GET", make_agents_handler(s));
    add("/api/v1/sites", false, "GET", make_sites_handler(s));
    add("/metrics", false, "GET", make_metrics_handler(s));
    add("/healthz", false, "GET", make_healthz_handler(s));
  }

  void handle(HttpRequest req, Respond respond) override {
    const std::string_view path = target_path(req.target);
    std::string allow;
    for (auto& r : routes_) {
      if (!r.matches(path)) continue;
      if (r.method == req.method) return r.handler->handle(std::move(req), std::move(respond));
      if (!allow.empty()) allow.append(", ");
      allow.append(r.method);
    }
    if (allow.empty()) {
      s_.counters.reject(RejectReason::kNotFound);
      respond(json_error(404, "no such path"));
      return;
    }
    s_.counters.reject(RejectReason::kMethodNotAllowed);
    HttpResponse r = json_error(405, "method not allowed (allowed: " + allow + ")");
    r.headers.emplace_back("Allow", allow);
    respond(std::move(r));
  }

 private:
  void add(std::string_view path, bool prefix, std::string_view method,
           std::unique_ptr<HttpHandler> h) {
    routes_.push_back(Route{path, prefix, method, std::move(h)});
  }

  CollectorServices& s_;
  std::vector<Route> routes_;
};

}  // namespace

std::unique_ptr<HttpHandler> make_router(CollectorServices& services) {
  // The health board starts from each agent's last stored heartbeat, so that
  // /api/v1/agents and /metrics know the agents before they next report.
  try {
    services.metrics.health().prime(services.store, services.registry.list(), wall_clock_us());
  } catch (const StoreError&) {
    // An unreadable registry leaves the board empty; the agents fill it as they report.
  }
  return std::make_unique<Router>(services);
}

}  // namespace nsm4::collector
