#pragma once
// The collector's HTTP request and response as plain values: the Beast server
// (server/) converts to and from these, so handlers (ingest/, api/, metrics/)
// never include Beast.
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace nsm4::collector {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query, as sent: "/api/v1/alerts?site=ward-1"
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;                            // as received (still gzip-encoded if it was)
  std::string peer;                            // "127.0.0.1:53012"
  std::string client_cert_cn;                  // verified client certificate's CN, or ""
  bool tls = false;

  const std::string* header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? nullptr : &it->second;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// A JSON error body {"error": message} with the status.
HttpResponse json_error(int status, const std::string& message);

using Respond = std::function<void(HttpResponse)>;

// Handlers may answer later (ingest answers after the store's commit); `respond`
// must be called exactly once, from any thread.
class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  virtual void handle(HttpRequest req, Respond respond) = 0;
};

// Why the collector refused a request; a counter per reason, exported as
// nsm4_collector_rejected_requests_total{reason="..."}.
enum class RejectReason : uint8_t {
  kMalformedRequest,     // unparsable HTTP
  kBadRequest,           // 400 from a handler (bad header, no valid line)
  kUnauthorized,         // 401
  kForbidden,            // 403 (revoked)
  kNotFound,             // 404
  kMethodNotAllowed,     // 405
  kLengthRequired,       // 411
  kTooLarge,             // 413
  kUnsupportedEncoding,  // 415
  kTimeout,              // slow client: header or body not received in time
  kTlsHandshake,         // failed or truncated TLS handshake
  kTooManyConnections,
  kStoreUnavailable,  // 503
  kMalformedLine,     // one NDJSON line rejected inside an accepted batch
  kCount
};
const char* reject_reason_name(RejectReason r);

struct ServerCounters {
  std::array<std::atomic<uint64_t>, static_cast<size_t>(RejectReason::kCount)> rejected{};
  std::atomic<uint64_t> connections_open{0};
  std::atomic<uint64_t> connections_total{0};
  std::atomic<uint64_t> requests_total{0};
  void reject(RejectReason r) {
    rejected[static_cast<size_t>(r)].fetch_add(1, std::memory_order_relaxed);
  }
};

}  // namespace nsm4::collector
