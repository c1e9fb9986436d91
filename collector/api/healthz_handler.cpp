#include "api/api_handlers.h"
#include "metrics/collector_metrics.h"
#include "nsm4/common/json_writer.h"

namespace nsm4::collector {

namespace {

class HealthzHandler final : public HttpHandler {
 public:
  explicit HealthzHandler(CollectorServices& s) : s_(s) {}
  void handle(HttpRequest /*req*/, Respond respond) override {
    HttpResponse r;
    JsonWriter w(r.body);
    w.begin_object();
    w.kv("status", "ok");
    w.kv("store_queue_events", s_.writer.queued_events());
    w.kv("batches_stored", s_.metrics.batches_total());
    w.end_object();
    respond(std::move(r));
  }

 private:
  CollectorServices& s_;
};

}  // namespace

std::unique_ptr<HttpHandler> make_healthz_handler(CollectorServices& s) {
  return std::make_unique<HealthzHandler>(s);
}

}  // namespace nsm4::collector
