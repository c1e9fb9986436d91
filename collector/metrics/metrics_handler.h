#pragma once
// GET /metrics: CollectorMetrics rendered with the registry's agents and the
// store's figures, as text/plain; version=0.0.4.
#include <memory>

#include "app/collector_services.h"

namespace nsm4::collector {

inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

std::unique_ptr<HttpHandler> make_metrics_handler(CollectorServices& s);

}  // namespace nsm4::collector
