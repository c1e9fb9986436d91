#pragma once
// A whole collector minus the network for handler tests: a real store and
// registry in a temporary SQLite file, the group-commit writer, counters and
// metrics, and a synchronous way to call a handler.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>

#include "app/collector_services.h"
#include "metrics/collector_metrics.h"

namespace nsm4::collector::test {

class CollectorEnv {
 public:
  explicit CollectorEnv(IngestOptions ingest = {}, uint64_t max_queued_events = 1'000'000) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "nsm4-collector-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    StoreOptions opt;
    opt.path = db_path();
    opt.synchronous_full = false;  // tests need no fsync
    store_ = EventStore::open(opt);
    registry_ = AgentRegistry::open(opt.path);
    writer_ = std::make_unique<StoreWriter>(*store_, max_queued_events);
    metrics_ = std::make_unique<CollectorMetrics>(counters_);
    services_ = std::make_unique<CollectorServices>(
        CollectorServices{*store_, *registry_, *writer_, counters_, *metrics_, ingest, "", 120});
  }
  ~CollectorEnv() {
    writer_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  CollectorEnv(const CollectorEnv&) = delete;
  CollectorEnv& operator=(const CollectorEnv&) = delete;

  std::string db_path() const { return (dir_ / "nsm4.db").string(); }
  CollectorServices& services() { return *services_; }
  EventStore& store() { return *store_; }
  AgentRegistry& registry() { return *registry_; }
  StoreWriter& writer() { return *writer_; }
  ServerCounters& counters() { return counters_; }
  CollectorMetrics& metrics() { return *metrics_; }
  uint64_t rejected(RejectReason r) const {
    return counters_.rejected[static_cast<size_t>(r)].load();
  }

  // Runs `h` and waits for its (possibly asynchronous) response.
  static HttpResponse call(HttpHandler& h, HttpRequest req) {
    auto promise = std::make_shared<std::promise<HttpResponse>>();
    auto future = promise->get_future();
    h.handle(std::move(req), [promise](HttpResponse r) { promise->set_value(std::move(r)); });
    if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
      ADD_FAILURE() << "handler did not respond";
      return HttpResponse{};
    }
    return future.get();
  }

  // Runs SQL on the store's file through a connection of its own.
  void exec_sql(const std::string& sql) const {
    sqlite3* db = nullptr;
    if (sqlite3_open(db_path().c_str(), &db) != SQLITE_OK) throw std::runtime_error("open");
    sqlite3_busy_timeout(db, 5000);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    std::string msg = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    if (rc != SQLITE_OK) throw std::runtime_error(sql + ": " + msg);
  }

 private:
  std::filesystem::path dir_;
  ServerCounters counters_;
  std::unique_ptr<EventStore> store_;
  std::unique_ptr<AgentRegistry> registry_;
  std::unique_ptr<StoreWriter> writer_;
  std::unique_ptr<CollectorMetrics> metrics_;
  std::unique_ptr<CollectorServices> services_;
};

inline HttpRequest get(const std::string& target) {
  HttpRequest r;
  r.method = "GET";
  r.target = target;
  r.peer = "127.0.0.1:40000";
  return r;
}

inline HttpRequest post_events(std::string body, const std::string& token,
                               const std::string& batch = "") {
  HttpRequest r;
  r.method = "POST";
  r.target = "/api/v1/events";
  r.peer = "127.0.0.1:40000";
  r.headers["content-type"] = "application/x-ndjson";
  if (!token.empty()) r.headers["authorization"] = "Bearer " + token;
  if (!batch.empty()) r.headers["x-nsm4-batch"] = batch;
  r.body = std::move(body);
  return r;
}

// An EVE alert line as the agent writes it.
inline std::string alert_line(const std::string& ts, int severity, int64_t sid,
                              const std::string& src, const std::string& dest,
                              const std::string& category = "Misc activity",
                              const std::string& site = "ward-1") {
  return R"({"timestamp":")" + ts + R"(","flow_id":1234,"site":")" + site +
         R"(","event_type":"alert","src_ip":")" + src + R"(","src_port":40000,"dest_ip":")" + dest +
         R"(","dest_port":80,"proto":"TCP","community_id":"1:abcd","alert":{"action":"allowed","gid":1,"signature_id":)" +
         std::to_string(sid) + R"(,"rev":1,"signature":"TEST sid )" + std::to_string(sid) +
         R"(","category":")" + category + R"(","severity":)" + std::to_string(severity) + "}}";
}

// An agent heartbeat with the forwarder's figures.
inline std::string stats_line(const std::string& ts, uint64_t packets, uint64_t spool_batches) {
  return R"({"timestamp":")" + ts +
         R"(","event_type":"stats","stats":{"uptime":42,"capture":{"kernel_packets":)" +
         std::to_string(packets + 5) +
         R"(,"kernel_drops":3,"kernel_ifdrops":1},"decoder":{"pkts":)" + std::to_string(packets) +
         R"(,"bytes":1000,"bytes_ipv4":700,"bytes_ipv6":300},"flow":{"total":17,"active":2},)"
         R"("tcp":{"segment_memcap_drop":4},"defrag":{"memcap_drops":5},"eve":{"write_errors":0},)"
         R"("agent":{"version":"0.5.0","rules":{"version":"et-2026-01-02","loaded":1200,"failed":3}},)"
         R"("forward":{"spool_batches":)" +
         std::to_string(spool_batches) +
         R"(,"spool_bytes":4096,"dropped_batches":1,"dropped_events":7,"sent_batches":99,"retries":2}}})";
}

}  // namespace nsm4::collector::test
