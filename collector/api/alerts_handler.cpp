#include <charconv>

#include "api/api_common.h"
#include "api/api_handlers.h"
#include "api/query_params.h"
#include "ingest/eve_line_scanner.h"
#include "nsm4/common/json_writer.h"

namespace nsm4::collector {

namespace {

constexpr std::string_view kAlertsPath = "/api/v1/alerts";
constexpr size_t kMaxTextQuery = 256;

std::optional<int64_t> parse_int(std::string_view s, int64_t min, int64_t max) {
  int64_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || v < min || v > max) {
    return std::nullopt;
  }
  return v;
}

// The query's parameters into an AlertQuery; the error names the bad one.
std::optional<AlertQuery> alert_query(const RequestTarget& t, std::string& error) {
  AlertQuery q;
  q.limit = kDefaultAlertsLimit;
  for (const auto& [name, value] : t.params) {
    if (name == "site" || name == "agent") {
      if (!valid_name(value)) {
        error = name + ": must be 1-64 characters of [0-9a-zA-Z_.-]";
        return std::nullopt;
      }
      (name == "site" ? q.site : q.agent) = value;
    } else if (name == "from" || name == "to") {
      const auto us = parse_time_param(value);
      if (!us) {
        error = name + ": \"" + printable_excerpt(value) +
                "\" is neither unix seconds nor an RFC 3339 time";
        return std::nullopt;
      }
      (name == "from" ? q.from_us : q.to_us) = *us;
    } else if (name == "severity") {
      const auto v = parse_int(value, 1, 255);
      if (!v) {
        error = "severity: must be an integer 1-255 (the lowest priority wanted; 1 = high only)";
        return std::nullopt;
      }
      q.max_severity = static_cast<int>(*v);
    } else if (name == "sid") {
      const auto v = parse_int(value, 1, INT64_MAX);
      if (!v) {
        error = "sid: must be a positive integer";
        return std::nullopt;
      }
      q.sid = *v;
    } else if (name == "address") {
      std::string ip = normalise_ip(value);
      if (ip.empty()) {
        error = "address: \"" + printable_excerpt(value) + "\" is not an IPv4 or IPv6 address";
        return std::nullopt;
      }
      q.address = std::move(ip);
    } else if (name == "q") {
      if (value.empty() || value.size() > kMaxTextQuery) {
        error = "q: must be 1-" + std::to_string(kMaxTextQuery) + " bytes";
        return std::nullopt;
      }
      q.text = value;
    } else if (name == "limit") {
      const auto v = parse_int(value, 1, kMaxAlertsLimit);
      if (!v) {
        error = "limit: must be an integer 1-" + std::to_string(kMaxAlertsLimit);
        return std::nullopt;
      }
      q.limit = static_cast<int>(*v);
    } else if (name == "cursor") {
      const auto v = parse_int(value, 1, INT64_MAX);
      if (!v) {
        error = "cursor: not a next_cursor of an earlier answer";
        return std::nullopt;
      }
      q.before_id = *v;
    } else {
      error = "unknown parameter \"" + printable_excerpt(name) +
              "\" (site, agent, from, to, severity, sid, address, q, limit, cursor)";
      return std::nullopt;
    }
  }
  if (q.from_us && q.to_us && *q.from_us >= *q.to_us) {
    error = "from: must be before to";
    return std::nullopt;
  }
  return q;
}

void write_alert(JsonWriter& w, const EventRow& row) {
  w.begin_object();
  w.kv("id", row.id);
  w.kv("agent", std::string_view(row.agent));
  w.kv("site", std::string_view(row.site));
  w.key("event").raw(row.json);  // checked JSON since ingest
  w.end_object();
}

class AlertsHandler final : public HttpHandler {
 public:
  explicit AlertsHandler(CollectorServices& s) : s_(s) {}

  void handle(HttpRequest req, Respond respond) override {
    if (!api_authorized(s_, req, respond)) return;
    std::string error;
    const auto target = parse_target(req.target, error);
    if (!target) return refuse(s_, respond, RejectReason::kBadRequest, 400, error);
    try {
      if (target->path.size() > kAlertsPath.size()) {
        one(*target, respond);
      } else {
        list(*target, respond);
      }
    } catch (const StoreError& e) {
      refuse(s_, respond, RejectReason::kStoreUnavailable, 503,
             std::string("store unavailable: ") + e.what());
    }
  }

 private:
  void list(const RequestTarget& t, const Respond& respond) {
    std::string error;
    const auto q = alert_query(t, error);
    if (!q) return refuse(s_, respond, RejectReason::kBadRequest, 400, error);
    const std::vector<EventRow> rows = s_.store.alerts(*q);
    HttpResponse r;
    JsonWriter w(r.body);
    w.begin_object();
    w.key("alerts").begin_array();
    for (const auto& row : rows) write_alert(w, row);
    w.end_array();
    w.key("next_cursor");
    if (!rows.empty() && rows.size() >= static_cast<size_t>(q->limit)) {
      w.value(std::to_string(rows.back().id));
    } else {
      w.null();
    }
    w.end_object();
    respond(std::move(r));
  }

  // /api/v1/alerts/<id>
  void one(const RequestTarget& t, const Respond& respond) {
    const std::string_view rest = std::string_view(t.path).substr(kAlertsPath.size());
    const auto id =
        rest.size() > 1 && rest[0] == '/' ? parse_int(rest.substr(1), 1, INT64_MAX) : std::nullopt;
    if (!id) {
      return refuse(s_, respond, RejectReason::kNotFound, 404,
                    "no such alert: the id must be a positive integer");
    }
    if (!t.params.empty()) {
      return refuse(s_, respond, RejectReason::kBadRequest, 400,
                    "an alert by id takes no parameters");
    }
    const auto row = s_.store.event(*id);
    StoredEvent ev;
    std::string scan_error;
    if (!row || !scan_eve_line(row->json, ev, scan_error) || ev.event_type != "alert") {
      return refuse(s_, respond, RejectReason::kNotFound, 404,
                    "no alert with id " + std::to_string(*id));
    }
    HttpResponse r;
    JsonWriter w(r.body);
    write_alert(w, *row);
    respond(std::move(r));
  }

  CollectorServices& s_;
};

}  // namespace

std::unique_ptr<HttpHandler> make_alerts_handler(CollectorServices& s) {
  return std::make_unique<AlertsHandler>(s);
}

}  // namespace nsm4::collector
