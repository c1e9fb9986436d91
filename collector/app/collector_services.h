#pragma once
// What the request handlers share, owned by main (collector/main.cpp) and
// handed to make_router(). No Beast here.
#include <cstdint>
#include <memory>
#include <string>

#include "http/http_types.h"
#include "store/agent_registry.h"
#include "store/event_store.h"
#include "store/store_writer.h"

namespace nsm4::collector {

class CollectorMetrics;  // metrics/collector_metrics.h

struct IngestOptions {
  uint64_t max_body_bytes = 32u << 20;      // also enforced by the server (413)
  uint64_t max_decoded_bytes = 256u << 20;  // gzip bomb guard (413)
  uint64_t max_line_bytes = 1u << 20;       // longer lines are rejected, counted
  bool require_batch_id = false;            // plain EVE shippers send none
  // Lines per batch (413 beyond): bounds the memory of tiny lines in a large body.
  uint64_t max_batch_lines = 100'000;
};

struct CollectorServices {
  EventStore& store;
  AgentRegistry& registry;
  StoreWriter& writer;
  ServerCounters& counters;
  CollectorMetrics& metrics;
  IngestOptions ingest;
  std::string api_token;  // when set, /api/v1/{alerts,agents,sites} need "Bearer <api_token>"
  int64_t agent_down_after_sec = 120;  // no event or heartbeat for this long: agent down
};

// The collector's routes: POST /api/v1/events, GET /api/v1/alerts,
// GET /api/v1/alerts/<id>, GET /api/v1/agents, GET /api/v1/sites, GET /metrics,
// GET /healthz. Unknown path 404, wrong method 405 (with Allow).
std::unique_ptr<HttpHandler> make_router(CollectorServices& services);

}  // namespace nsm4::collector
