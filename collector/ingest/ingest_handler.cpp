#include "ingest/ingest_handler.h"

#include <chrono>
#include <optional>

#include "ingest/agent_health.h"
#include "ingest/content_decoding.h"
#include "ingest/eve_timestamp.h"
#include "ingest/ndjson_batch.h"
#include "metrics/batch_summary.h"
#include "metrics/collector_metrics.h"
#include "nsm4/common/json_writer.h"
#include "nsm4/common/wire.h"

namespace nsm4::collector {

namespace {

constexpr const char* kRetryAfterQueueFull = "1";
constexpr const char* kRetryAfterStoreFailed = "5";

std::string reply_json(uint64_t stored, bool duplicate, const std::vector<LineError>& rejected,
                       uint64_t rejected_lines, const char* error) {
  std::string body;
  JsonWriter w(body);
  w.begin_object();
  if (error) w.kv("error", error);
  w.kv("stored", stored);
  w.kv("duplicate", duplicate);
  w.key("rejected").begin_array();
  for (size_t i = 0; i < rejected.size() && i < kMaxRejectedListed; ++i) {
    w.begin_object();
    w.kv("line", rejected[i].line);
    w.kv("error", std::string_view(rejected[i].error));
    w.end_object();
  }
  w.end_array();
  w.kv("rejected_lines", rejected_lines);
  w.end_object();
  return body;
}

// "Bearer <token>" (scheme case-insensitive); nullopt otherwise.
std::optional<std::string> bearer_token(const std::string& value) {
  constexpr std::string_view kScheme = "bearer";
  if (value.size() <= kScheme.size()) return std::nullopt;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) != kScheme[i]) return std::nullopt;
  }
  size_t pos = kScheme.size();
  if (value[pos] != ' ') return std::nullopt;
  while (pos < value.size() && value[pos] == ' ') ++pos;
  size_t end = value.size();
  while (end > pos && (value[end - 1] == ' ' || value[end - 1] == '\t')) --end;
  if (end == pos) return std::nullopt;
  return value.substr(pos, end - pos);
}

class IngestHandler final : public HttpHandler {
 public:
  explicit IngestHandler(CollectorServices& s) : s_(s) {}
  void handle(HttpRequest req, Respond respond) override;

 private:
  void refuse(const Respond& respond, RejectReason reason, int status, const std::string& message,
              std::vector<std::pair<std::string, std::string>> headers = {}) {
    s_.counters.reject(reason);
    HttpResponse r = json_error(status, message);
    r.headers = std::move(headers);
    respond(std::move(r));
  }
  // Who sent the request; responds and returns false when nobody valid.
  bool authenticate(const HttpRequest& req, const Respond& respond, AgentRecord& agent);

  CollectorServices& s_;
};

bool IngestHandler::authenticate(const HttpRequest& req, const Respond& respond,
                                 AgentRecord& agent) {
  const std::vector<std::pair<std::string, std::string>> challenge = {
      {"WWW-Authenticate", "Bearer realm=\"nsm4\""}};
  AuthResult result = AuthResult::kUnknown;
  std::string who;
  try {
    if (const std::string* auth = req.header("authorization")) {
      const auto token = bearer_token(*auth);
      if (!token) {
        refuse(respond, RejectReason::kUnauthorized, 401,
               "Authorization must be \"Bearer <agent token>\"", challenge);
        return false;
      }
      result = s_.registry.authenticate_token(*token, &agent);
      who = "token";
    } else if (!req.client_cert_cn.empty()) {
      result = s_.registry.authenticate_name(req.client_cert_cn, &agent);
      who = "client certificate";
    } else {
      refuse(respond, RejectReason::kUnauthorized, 401,
             "no credentials: send Authorization: Bearer <agent token> or a client certificate",
             challenge);
      return false;
    }
  } catch (const StoreError& e) {
    refuse(respond, RejectReason::kStoreUnavailable, 503,
           std::string("agent registry unavailable: ") + e.what(),
           {{"Retry-After", kRetryAfterStoreFailed}});
    return false;
  }
  switch (result) {
    case AuthResult::kOk:
      return true;
    case AuthResult::kRevoked:
      refuse(respond, RejectReason::kForbidden, 403, "agent \"" + agent.name + "\" is revoked");
      return false;
    case AuthResult::kUnknown:
      break;
  }
  refuse(respond, RejectReason::kUnauthorized, 401, "unknown agent " + who,
         {{"WWW-Authenticate", "Bearer realm=\"nsm4\", error=\"invalid_token\""}});
  return false;
}

void IngestHandler::handle(HttpRequest req, Respond respond) {
  const auto received = std::chrono::steady_clock::now();
  AgentRecord agent;
  if (!authenticate(req, respond, agent)) return;

  BatchKey key;
  key.agent = agent.name;
  key.site = agent.site;  // never from the events
  if (const std::string* batch = req.header("x-nsm4-batch")) {
    const auto id = wire::parse_batch_id(*batch);
    if (!id) {
      refuse(respond, RejectReason::kBadRequest, 400,
             "X-Nsm4-Batch must be <stream>/<seq>: stream 1-32 of [0-9a-zA-Z_-], seq a decimal "
             "uint64");
      return;
    }
    key.stream = id->stream;
    key.seq = id->seq;
  } else if (s_.ingest.require_batch_id) {
    refuse(respond, RejectReason::kBadRequest, 400, "X-Nsm4-Batch header required");
    return;
  }

  if (req.body.size() > s_.ingest.max_body_bytes) {
    refuse(respond, RejectReason::kTooLarge, 413,
           "body is " + std::to_string(req.body.size()) + " bytes, over the limit of " +
               std::to_string(s_.ingest.max_body_bytes));
    return;
  }
  DecodedBody decoded = decode_content(req.header("content-encoding"), std::move(req.body),
                                       s_.ingest.max_decoded_bytes);
  switch (decoded.status) {
    case DecodeStatus::kOk:
      break;
    case DecodeStatus::kUnsupportedEncoding:
      refuse(respond, RejectReason::kUnsupportedEncoding, 415, decoded.message,
             {{"Accept-Encoding", "gzip, deflate, identity"}});
      return;
    case DecodeStatus::kTooLarge:
      refuse(respond, RejectReason::kTooLarge, 413, decoded.message);
      return;
    case DecodeStatus::kCorrupt:
      refuse(respond, RejectReason::kBadRequest, 400, decoded.message);
      return;
  }

  NdjsonOptions parse_opt;
  parse_opt.max_line_bytes = s_.ingest.max_line_bytes;
  parse_opt.default_ts_us = wall_clock_us();
  parse_opt.max_lines = s_.ingest.max_batch_lines;
  parse_opt.max_rejected_kept = kMaxRejectedListed;
  ParsedBatch batch = parse_ndjson_batch(decoded.body, parse_opt);
  decoded.body = std::string();
  if (batch.too_many_lines) {
    refuse(respond, RejectReason::kTooLarge, 413,
           "batch has more than " + std::to_string(s_.ingest.max_batch_lines) + " lines");
    return;
  }
  if (batch.rejected_lines > 0) {
    s_.counters.rejected[static_cast<size_t>(RejectReason::kMalformedLine)].fetch_add(
        batch.rejected_lines, std::memory_order_relaxed);
  }
  if (batch.events.empty()) {
    s_.counters.reject(RejectReason::kBadRequest);
    HttpResponse r;
    r.status = 400;
    r.body = reply_json(0, false, batch.rejected, batch.rejected_lines,
                        batch.lines == 0 ? "empty batch: no lines" : "no valid line in the batch");
    respond(std::move(r));
    return;
  }

  BatchSummary summary;
  std::optional<AgentHealth> heartbeat;
  for (const auto& ev : batch.events) {
    summary.add(ev);
    if (ev.event_type == "stats") {
      AgentHealth h;
      if (read_heartbeat(ev.json, h)) heartbeat = std::move(h);
    }
  }

  auto done = [&s = s_, respond, name = agent.name, site = agent.site, summary = std::move(summary),
               heartbeat = std::move(heartbeat), rejected = std::move(batch.rejected),
               rejected_lines = batch.rejected_lines,
               received](const StoreResult& result, const std::string& error) {
    if (!error.empty()) {
      s.counters.reject(RejectReason::kStoreUnavailable);
      HttpResponse r = json_error(503, "store failed, retry later: " + error);
      r.headers.emplace_back("Retry-After", kRetryAfterStoreFailed);
      respond(std::move(r));
      return;
    }
    const double latency =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - received).count();
    const int64_t now = wall_clock_us();
    if (result.duplicate) {
      s.metrics.health().seen(name, now);
      s.metrics.record_duplicate_batch(latency);
    } else {
      if (heartbeat) {
        s.metrics.health().heartbeat(name, *heartbeat, now);
      } else {
        s.metrics.health().seen(name, now);
      }
      s.metrics.record_batch(site, summary, latency);
    }
    HttpResponse r;
    r.body = reply_json(result.stored, result.duplicate, rejected, rejected_lines, nullptr);
    respond(std::move(r));
  };
  if (!s_.writer.submit(std::move(key), std::move(batch.events), std::move(done))) {
    refuse(respond, RejectReason::kStoreUnavailable, 503, "store queue full, retry later",
           {{"Retry-After", kRetryAfterQueueFull}});
  }
}

}  // namespace

std::unique_ptr<HttpHandler> make_ingest_handler(CollectorServices& services) {
  return std::make_unique<IngestHandler>(services);
}

}  // namespace nsm4::collector
