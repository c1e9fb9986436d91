#pragma once
// POST /api/v1/events (common/include/nsm4/common/wire.h): authenticates the
// agent, decodes and checks the NDJSON batch, hands it to the StoreWriter and
// answers only after the commit; then updates the metrics and the agents'
// health board. Counts every refusal in ServerCounters.
#include <memory>

#include "app/collector_services.h"
#include "http/http_types.h"

namespace nsm4::collector {

// Entries of the reply's "rejected" list; "rejected_lines" always has the total.
inline constexpr size_t kMaxRejectedListed = 100;

std::unique_ptr<HttpHandler> make_ingest_handler(CollectorServices& services);

}  // namespace nsm4::collector
