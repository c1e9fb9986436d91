#pragma once
// The collector's HTTPS server (Boost.Beast; no Beast in this header). One
// listening port serves TLS and, per `plain`, plain HTTP: the first bytes of a
// connection decide (Beast's advanced_server_flex). HTTP/1.1 keep-alive, one
// request at a time per connection; every request goes to one HttpHandler.
//
// The server answers these itself and counts them in ServerCounters:
//   413 body over max_body_bytes (Content-Length, or a chunked body growing past it),
//   431 header over max_header_bytes, 411 POST/PUT/PATCH without a length,
//   400 unparsable HTTP, 503 more than max_connections, 403 plain HTTP refused,
//   timeouts (closed), failed or truncated TLS (closed).
// Statuses a handler returns are the handler's to count.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "http/http_types.h"

namespace nsm4::collector {

// Plain (non-TLS) HTTP on the TLS port: refused, loopback peers only, or anyone.
enum class PlainMode : uint8_t { kOff, kLoopback, kAny };

struct ServerOptions {
  std::string address = "127.0.0.1";  // IPv4 or IPv6 literal ("::" = all)
  uint16_t port = 9443;               // 0 = any free port (see Server::port())
  std::string tls_cert;               // PEM chain; TLS is off when cert and key are empty
  std::string tls_key;
  std::string tls_client_ca;  // when set, client certificates are requested and verified
  PlainMode plain = PlainMode::kLoopback;
  uint64_t max_body_bytes = 32u << 20;
  uint64_t max_header_bytes = 16u << 10;
  uint64_t max_connections = 2048;
  std::chrono::milliseconds header_timeout{10'000};  // connect (or TLS) to the end of a header
  std::chrono::milliseconds body_timeout{60'000};    // the body, and writing the response
  std::chrono::milliseconds idle_timeout{120'000};   // between keep-alive requests
  std::chrono::milliseconds linger_timeout{2'000};   // discarding input after an error reply
  std::chrono::milliseconds drain_timeout{30'000};   // stop(): longest wait for in-flight replies
  int threads = 1;
};

class Server {
 public:
  // `handler` and `counters` must outlive the server.
  Server(ServerOptions options, HttpHandler& handler, ServerCounters& counters);
  ~Server();  // call after run() has returned
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the TLS files and binds; throws std::runtime_error naming the file or
  // the address on failure.
  void start();
  uint16_t port() const;    // the bound port (useful when options.port was 0)
  std::string url() const;  // "https://127.0.0.1:9443" ("http://" when TLS is off)
  // Serves on options.threads threads (this one included) until stop() has
  // drained the connections or drain_timeout has passed.
  void run();
  // Thread-safe, idempotent: stops accepting, closes idle connections, lets
  // requests in progress get their reply (with Connection: close).
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nsm4::collector
