#include "metrics/metrics_handler.h"

#include "ingest/eve_timestamp.h"
#include "metrics/collector_metrics.h"

namespace nsm4::collector {

namespace {

class MetricsHandler final : public HttpHandler {
 public:
  explicit MetricsHandler(CollectorServices& s) : s_(s) {}

  void handle(HttpRequest /*req*/, Respond respond) override {
    MetricsSnapshotInput in;
    try {
      in.agents = s_.registry.list();
      in.store = s_.store.stats();
    } catch (const StoreError& e) {
      s_.counters.reject(RejectReason::kStoreUnavailable);
      respond(json_error(503, std::string("store unavailable: ") + e.what()));
      return;
    }
    in.store_queue_events = s_.writer.queued_events();
    in.now_us = wall_clock_us();
    in.agent_down_after_sec = s_.agent_down_after_sec;
    HttpResponse r;
    r.content_type = kPrometheusContentType;
    r.body = s_.metrics.render(in);
    respond(std::move(r));
  }

 private:
  CollectorServices& s_;
};

}  // namespace

std::unique_ptr<HttpHandler> make_metrics_handler(CollectorServices& s) {
  return std::make_unique<MetricsHandler>(s);
}

}  // namespace nsm4::collector
