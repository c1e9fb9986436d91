// Single-thread benchmark of the collector's ingest path (no network, no TLS).
//
//   bench_ingest [--seconds S] [--batch-events N] [--events N] [--dir DIR] [--no-sync]
//                [--only scan|dom|gunzip|store]   (one path alone, for a profiler)
//     (a) scan:   parse_ndjson_batch on an NDJSON batch (the validating single-pass scanner)
//     (b) dom:    the same lines through nlohmann::json::parse plus field lookups (the
//                 alternative the scanner replaces), for comparison
//     (c) gunzip: decode_content + parse_ndjson_batch on the gzip'd batch
//     (d) store:  POST /api/v1/events through the ingest handler into a real EventStore
//                 (SQLite WAL, fsync per group commit unless --no-sync), batches pipelined
//                 from one thread the way the server's I/O thread submits them
//   Rates per wall-clock second and per CPU-second (all threads; (d) uses two: the
//   handler's and the store writer's).
//   Lines are synthetic EVE records of the agent's shapes (flow 40%, dns 30%, http 15%,
//   tls 10%, alert 5%), 300-900 bytes.
// Figures only: nothing here asserts a timing.
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "app/collector_services.h"
#include "ingest/content_decoding.h"
#include "ingest/ingest_handler.h"
#include "ingest/ndjson_batch.h"
#include "metrics/collector_metrics.h"

namespace {

using Clock = std::chrono::steady_clock;
using nsm4::collector::HttpRequest;
using nsm4::collector::HttpResponse;

std::string ts(uint64_t i) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "2026-01-02T03:%02u:%02u.%06u+0000",
                static_cast<unsigned>(i / 60 % 60), static_cast<unsigned>(i % 60),
                static_cast<unsigned>(i * 7919 % 1000000));
  return buf;
}

std::string ip(uint64_t i) {
  return "10." + std::to_string(i / 65536 % 256) + "." + std::to_string(i / 256 % 256) + "." +
         std::to_string(i % 256);
}

std::string eve_line(uint64_t i) {
  const std::string head = R"({"timestamp":")" + ts(i) + R"(","flow_id":)" +
                           std::to_string(1000000007 * i % 2251799813685247) +
                           R"(,"site":"ward-1","agent":"sensor-1","in_iface":"eth0",)";
  const std::string addrs = R"("src_ip":")" + ip(i) + R"(","src_port":)" +
                            std::to_string(1024 + i % 60000) + R"(,"dest_ip":")" + ip(i * 31 + 7) +
                            R"(","dest_port":)";
  switch (i % 20) {
    case 0:  // alert
      return head + R"("event_type":"alert",)" + addrs +
             R"(80,"proto":"TCP","community_id":"1:LQU9qZlK+B5F3KDmev6m5PMibrg=","alert":{"action":"allowed","gid":1,"signature_id":)" +
             std::to_string(2000000 + i % 500) +
             R"(,"rev":3,"signature":"ET POLICY Suspicious inbound to mySQL port 3306","category":"Potentially Bad Traffic","severity":2,"metadata":{"created_at":["2010_07_30"],"updated_at":["2019_07_26"]}},"http":{"hostname":"example.com","url":"/index.php?id=1","http_user_agent":"Mozilla/5.0 X11 Linux x86_64","http_method":"GET","protocol":"HTTP/1.1","status":200,"length":1234},"app_proto":"http","direction":"to_server","flow":{"pkts_toserver":5,"pkts_toclient":4,"bytes_toserver":720,"bytes_toclient":2200,"start":")" +
             ts(i) + R"("}})";
    case 1:
    case 2:
      return head + R"("event_type":"tls",)" + addrs +
             R"(443,"proto":"TCP","community_id":"1:abcdefghijklmnopqrstuvwxyz0=","tls":{"subject":"CN=www.example.org","issuerdn":"C=US, O=Let's Encrypt, CN=R3","serial":"04:A1:2B:3C","fingerprint":"7a:1b:2c:3d:4e:5f:60:71:82:93:a4:b5:c6:d7:e8:f9:0a:1b:2c:3d","sni":"www.example.org","version":"TLS 1.2","notbefore":"2025-11-01T00:00:00","notafter":"2026-01-30T00:00:00","ja3":{"hash":"e7d705a3286e19ea42f587b344ee6865"}}})";
    case 3:
    case 4:
    case 5:
      return head + R"("event_type":"http",)" + addrs +
             R"(80,"proto":"TCP","tx_id":0,"community_id":"1:abcdefghijklmnopqrstuvwxyz0=","http":{"hostname":"intranet.ward.local","url":"/api/v2/patients?page=)" +
             std::to_string(i % 100) +
             R"(","http_user_agent":"curl/7.88.1","http_content_type":"application/json","http_method":"GET","protocol":"HTTP/1.1","status":200,"length":)" +
             std::to_string(i % 5000) + "}}";
    case 6:
    case 7:
    case 8:
    case 9:
    case 10:
    case 11:
      return head + R"("event_type":"dns",)" + addrs +
             R"(53,"proto":"UDP","community_id":"1:abcdefghijklmnopqrstuvwxyz0=","dns":{"version":2,"type":"answer","id":)" +
             std::to_string(i % 65536) +
             R"(,"flags":"8180","qr":true,"rd":true,"ra":true,"rrname":"host)" +
             std::to_string(i % 997) +
             R"(.example.com","rrtype":"A","rcode":"NOERROR","answers":[{"rrname":"host.example.com","rrtype":"A","ttl":300,"rdata":"93.184.216.34"}]}})";
    default:
      return head + R"("event_type":"flow",)" + addrs +
             R"(443,"proto":"TCP","app_proto":"tls","community_id":"1:abcdefghijklmnopqrstuvwxyz0=","flow":{"pkts_toserver":12,"pkts_toclient":10,"bytes_toserver":1500,"bytes_toclient":9000,"start":")" +
             ts(i) + R"(","end":")" + ts(i + 3) +
             R"(","age":3,"state":"closed","reason":"timeout","alerted":false},"tcp":{"tcp_flags":"1b","tcp_flags_ts":"1b","tcp_flags_tc":"1b","syn":true,"fin":true,"psh":true,"ack":true,"state":"closed"}})";
  }
}

std::string make_batch(uint64_t first, uint64_t n) {
  std::string body;
  for (uint64_t i = first; i < first + n; ++i) {
    body += eve_line(i);
    body.push_back('\n');
  }
  return body;
}

std::string gzip(const std::string& in) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, in.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// CPU seconds of this process (all threads): the machine may be shared, so
// rates are given per CPU-second as well as per wall-clock second.
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

void report(const char* name, uint64_t lines, uint64_t bytes, double sec, double cpu) {
  std::printf(
      "%-8s %10.0f lines/s  %8.1f MiB/s  %10.0f lines/CPU-s  (%llu lines, %.2f s, %.2f CPU-s)\n",
      name, lines / sec, bytes / sec / (1 << 20), lines / cpu,
      static_cast<unsigned long long>(lines), sec, cpu);
}

template <typename F>
void repeat_for(double seconds, uint64_t lines_per_call, uint64_t bytes_per_call, const char* name,
                F&& f) {
  uint64_t lines = 0, bytes = 0, sink = 0;
  const double cpu_start = cpu_seconds();
  const auto start = Clock::now();
  double elapsed = 0;
  do {
    sink += f();
    lines += lines_per_call;
    bytes += bytes_per_call;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds);
  if (sink == 0) std::printf("(no work?)\n");
  report(name, lines, bytes, elapsed, cpu_seconds() - cpu_start);
}

uint64_t dom_parse(const std::string& body) {
  uint64_t n = 0;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t nl = body.find('\n', pos);
    if (nl == std::string::npos) nl = body.size();
    const auto j = nlohmann::json::parse(body.data() + pos, body.data() + nl, nullptr, false);
    pos = nl + 1;
    if (j.is_discarded() || !j.is_object()) continue;
    auto it = j.find("event_type");
    if (it == j.end()) continue;
    n += it->get_ref<const std::string&>().size();
    if (auto a = j.find("alert"); a != j.end()) n += a->value("signature_id", 0);
    n += j.value("src_ip", std::string()).size() + j.value("dest_ip", std::string()).size();
    n += j.value("timestamp", std::string()).size();
  }
  return n;
}

void store_bench(const std::string& dir, uint64_t total_events, uint64_t batch_events, bool sync) {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(dir) / ("nsm4-bench-ingest-" + std::to_string(getpid()));
  fs::create_directories(root);
  {
    using namespace nsm4::collector;
    StoreOptions opt;
    opt.path = (root / "bench.db").string();
    opt.synchronous_full = sync;
    auto store = EventStore::open(opt);
    auto registry = AgentRegistry::open(opt.path);
    StoreWriter writer(*store);
    ServerCounters counters;
    CollectorMetrics metrics(counters);
    CollectorServices services{*store, *registry, writer, counters, metrics, {}, "", 120};
    const std::string token = registry->add("sensor-1", "ward-1");
    auto handler = make_ingest_handler(services);

    const uint64_t batches = (total_events + batch_events - 1) / batch_events;
    std::vector<std::string> bodies;
    uint64_t bytes = 0;
    for (uint64_t b = 0; b < batches; ++b) {
      bodies.push_back(gzip(make_batch(b * batch_events, batch_events)));
      bytes += bodies.back().size();
    }
    std::atomic<uint64_t> done{0}, failed{0};
    const double cpu_start = cpu_seconds();
    const auto start = Clock::now();
    for (uint64_t b = 0; b < batches; ++b) {
      for (;;) {
        HttpRequest req;
        req.method = "POST";
        req.target = "/api/v1/events";
        req.headers["authorization"] = "Bearer " + token;
        req.headers["content-encoding"] = "gzip";
        req.headers["x-nsm4-batch"] = "bench/" + std::to_string(b);
        req.body = bodies[b];
        std::atomic<int> status{0};
        handler->handle(std::move(req), [&](const HttpResponse& r) {
          if (r.status == 200) {
            done.fetch_add(1);
          } else if (r.status != 503) {
            failed.fetch_add(1);
          }
          status.store(r.status);
        });
        // A 503 (writer queue full) is answered at once: wait a little and resend.
        if (status.load() != 503) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
    while (done.load() + failed.load() < batches) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    const double sec = std::chrono::duration<double>(Clock::now() - start).count();
    report(sync ? "store" : "store-ns", batches * batch_events, bytes, sec,
           cpu_seconds() - cpu_start);
    std::printf("         %llu commits for %llu batches, %llu failed, store %.1f MiB\n",
                static_cast<unsigned long long>(writer.commits()),
                static_cast<unsigned long long>(batches),
                static_cast<unsigned long long>(failed.load()),
                store->stats().file_bytes / double(1 << 20));
  }
  std::error_code ec;
  fs::remove_all(root, ec);
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 2;
  uint64_t batch_events = 2000;
  uint64_t events = 400000;
  std::string dir = "/tmp";
  bool sync = true;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "bench_ingest: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--seconds") {
      seconds = std::atof(next());
    } else if (a == "--batch-events") {
      batch_events = std::strtoull(next(), nullptr, 10);
    } else if (a == "--events") {
      events = std::strtoull(next(), nullptr, 10);
    } else if (a == "--dir") {
      dir = next();
    } else if (a == "--only") {
      only = next();
    } else if (a == "--no-sync") {
      sync = false;
    } else {
      std::fprintf(stderr,
                   "usage: bench_ingest [--seconds S] [--batch-events N] [--events N] [--dir DIR] "
                   "[--no-sync] [--only scan|dom|gunzip|store]\n");
      return 2;
    }
  }
  if (batch_events == 0) batch_events = 1;
  const std::string body = make_batch(0, batch_events);
  const std::string gz = gzip(body);
  std::printf("batch: %llu lines, %zu bytes (%.0f bytes/line), gzip %zu bytes\n",
              static_cast<unsigned long long>(batch_events), body.size(),
              double(body.size()) / batch_events, gz.size());
  nsm4::collector::NdjsonOptions opt;
  auto want = [&](const char* mode) { return only.empty() || only == mode; };
  if (want("scan")) {
    repeat_for(seconds, batch_events, body.size(), "scan",
               [&] { return nsm4::collector::parse_ndjson_batch(body, opt).events.size(); });
  }
  if (want("dom")) {
    repeat_for(seconds, batch_events, body.size(), "dom", [&] { return dom_parse(body); });
  }
  const std::string enc = "gzip";
  if (want("gunzip")) {
    repeat_for(seconds, batch_events, body.size(), "gunzip", [&] {
      auto d = nsm4::collector::decode_content(&enc, gz, 256u << 20);
      return nsm4::collector::parse_ndjson_batch(d.body, opt).events.size();
    });
  }
  if (want("store")) store_bench(dir, events, batch_events, sync);
  return 0;
}
