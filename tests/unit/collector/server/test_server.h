#pragma once
// A real Server on 127.0.0.1, port 0, run on its own thread, with a handler
// that records requests and answers by target:
//   /async  later, from another thread      /never  drops its Respond
//   /throw  throws                          else    "<method> <target> <body size>"
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "server/server.h"

namespace nsm4::collector::testing {

class RecordingHandler : public HttpHandler {
 public:
  ~RecordingHandler() override {
    for (auto& t : threads_) t.join();
  }

  void handle(HttpRequest req, Respond respond) override {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(req);
    if (req.target == "/async") {
      threads_.emplace_back([respond] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        respond(HttpResponse{200, "text/plain", "late", {}});
      });
      return;
    }
    if (req.target == "/never") return;
    if (req.target == "/throw") throw std::runtime_error("boom");
    respond(HttpResponse{200,
                         "text/plain",
                         req.method + " " + req.target + " " + std::to_string(req.body.size()),
                         {}});
  }

  std::vector<HttpRequest> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  std::mutex mu_;
  std::vector<HttpRequest> requests_;
  std::vector<std::thread> threads_;
};

inline ServerOptions loopback_options() {
  ServerOptions opt;
  opt.address = "127.0.0.1";
  opt.port = 0;
  opt.header_timeout = std::chrono::milliseconds(5000);
  opt.linger_timeout = std::chrono::milliseconds(500);
  opt.drain_timeout = std::chrono::milliseconds(3000);
  return opt;
}

class RunningServer {
 public:
  RunningServer(ServerOptions opt, HttpHandler& handler)
      : server_(std::move(opt), handler, counters) {
    server_.start();
    thread_ = std::thread([this] { server_.run(); });
  }
  ~RunningServer() { stop(); }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  void stop() {
    if (!thread_.joinable()) return;
    server_.stop();
    thread_.join();
  }
  uint16_t port() const { return server_.port(); }
  uint64_t rejected(RejectReason r) const {
    return counters.rejected[static_cast<size_t>(r)].load();
  }

  ServerCounters counters;

 private:
  Server server_;
  std::thread thread_;
};

// Polls `pred` for up to `timeout`.
inline bool eventually(const std::function<bool()>& pred,
                       std::chrono::milliseconds timeout = std::chrono::milliseconds(3000)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred();
}

}  // namespace nsm4::collector::testing
