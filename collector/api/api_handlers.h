#pragma once
// The query API (JSON, GET only; the router checks methods):
//   /api/v1/alerts?site=&agent=&from=&to=&severity=&sid=&address=&q=&limit=&cursor=
//       {"alerts":[{"id":..,"agent":..,"site":..,"event":{EVE}}],"next_cursor":"..."|null}
//   /api/v1/alerts/<id>   {"id":..,"agent":..,"site":..,"event":{EVE}}
//   /api/v1/agents[?site=]  {"agents":[{name, site, up, last_seen, version, revoked, health}]}
//   /api/v1/sites         {"sites":[{site, agents, agents_up, last_seen, alerts_since_start}]}
//   /healthz              {"status":"ok", ...}
// A bad parameter is answered 400 with a message naming it.
#include <memory>

#include "app/collector_services.h"

namespace nsm4::collector {

inline constexpr int kMaxAlertsLimit = 1000;
inline constexpr int kDefaultAlertsLimit = 100;

std::unique_ptr<HttpHandler> make_alerts_handler(CollectorServices& s);  // list and /<id>
std::unique_ptr<HttpHandler> make_agents_handler(CollectorServices& s);
std::unique_ptr<HttpHandler> make_sites_handler(CollectorServices& s);
std::unique_ptr<HttpHandler> make_healthz_handler(CollectorServices& s);

}  // namespace nsm4::collector
