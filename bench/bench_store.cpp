// Ingest rate of the collector's durable store (SQLite, WAL, hash chain) on
// one core: events/s through EventStore::store_batches, the path the
// collector's group-commit writer takes. The events are EVE-like lines of a
// realistic size and mix (flows, DNS, TLS, HTTP, a few alerts and stats),
// built before the clock starts: parsing is not measured here.
//
//   bench_store [--events N] [--batch N] [--group N] [--sync full|normal]
//               [--writer THREADS] [--dir DIR] [--keep]
//     --events  total events (default 1,000,000)
//     --batch   events per agent batch (default 1000)
//     --group   batches per transaction (default 1; the writer groups what is
//               queued while it commits)
//     --sync    full (default: fsync at each commit, as the collector runs)
//     --writer  submit through a StoreWriter from THREADS threads instead
//     --dir     where the database goes (default: a new directory in /tmp)
//
// Figures only: nothing here asserts a timing.
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "store/event_store.h"
#include "store/store_writer.h"

namespace {

using nsm4::collector::BatchKey;
using nsm4::collector::EventStore;
using nsm4::collector::StoredEvent;
using nsm4::collector::StoreOptions;
using nsm4::collector::StoreResult;
using nsm4::collector::StoreWriter;
using Clock = std::chrono::steady_clock;

struct Options {
  uint64_t events = 1'000'000;
  uint64_t batch = 1000;
  uint64_t group = 1;
  bool sync_full = true;
  int writer_threads = 0;
  std::string dir;
  bool keep = false;
};

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: bench_store [--events N] [--batch N] [--group N] [--sync full|normal] "
               "[--writer THREADS] [--dir DIR] [--keep]\n");
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage();
      return argv[++i];
    };
    if (a == "--events") {
      o.events = std::strtoull(value().c_str(), nullptr, 10);
    } else if (a == "--batch") {
      o.batch = std::strtoull(value().c_str(), nullptr, 10);
    } else if (a == "--group") {
      o.group = std::strtoull(value().c_str(), nullptr, 10);
    } else if (a == "--sync") {
      const std::string v = value();
      if (v != "full" && v != "normal") usage();
      o.sync_full = v == "full";
    } else if (a == "--writer") {
      o.writer_threads = std::atoi(value().c_str());
    } else if (a == "--dir") {
      o.dir = value();
    } else if (a == "--keep") {
      o.keep = true;
    } else {
      usage();
    }
  }
  if (o.batch == 0 || o.group == 0 || o.events == 0 || o.writer_threads < 0) usage();
  return o;
}

// A deterministic mix: 55% flow, 20% dns, 10% tls, 8% http, 5% alert, 2% stats.
StoredEvent make_event(uint64_t i) {
  uint64_t x = i * 0x9E3779B97F4A7C15ull;
  x ^= x >> 29;
  const unsigned kind = static_cast<unsigned>(x % 100);
  const int64_t ts = 1'700'000'000'000'000LL + static_cast<int64_t>(i) * 10;
  const std::string src =
      "10.1." + std::to_string((x >> 8) & 255) + "." + std::to_string((x >> 16) & 255);
  const std::string dst =
      "198.18." + std::to_string((x >> 24) & 255) + "." + std::to_string((x >> 32) & 255);
  const std::string sport = std::to_string(1024 + (x >> 40) % 60000);
  const std::string head = R"({"timestamp":"2023-11-14T22:13:20.)" + std::to_string(i % 1000000) +
                           R"(+0000","flow_id":)" + std::to_string(x >> 12) +
                           R"(,"in_iface":"eth0","src_ip":")" + src + R"(","src_port":)" + sport +
                           R"(,"dest_ip":")" + dst + R"(","site":"ward-1","agent":"sensor-1",)";
  StoredEvent e;
  e.ts_us = ts;
  e.src_ip = src;
  e.dest_ip = dst;
  e.community_id = "1:" + std::to_string(x % 99991) + "abcdefghijklmnopqrstuvw=";
  if (kind < 55) {
    e.event_type = "flow";
    e.json = head + R"("dest_port":443,"proto":"TCP","event_type":"flow","community_id":")" +
             e.community_id +
             R"(","flow":{"pkts_toserver":12,"pkts_toclient":10,"bytes_toserver":1804,)"
             R"("bytes_toclient":7410,"start":"2023-11-14T22:13:18.000000+0000","end":)"
             R"("2023-11-14T22:13:20.000000+0000","age":2,"state":"closed","reason":"timeout",)"
             R"("alerted":false},"tcp":{"tcp_flags":"1b","tcp_flags_ts":"1b","tcp_flags_tc":"1b",)"
             R"("syn":true,"fin":true,"psh":true,"ack":true,"state":"closed"}})";
  } else if (kind < 75) {
    e.event_type = "dns";
    e.json = head +
             R"("dest_port":53,"proto":"UDP","event_type":"dns","dns":{"version":3,)"
             R"("type":"response","id":)" +
             std::to_string(x % 65536) +
             R"(,"flags":"8180","qr":true,"rd":true,"ra":true,"opcode":0,"rrname":"host)" +
             std::to_string(x % 20000) +
             R"(.example.org","rrtype":"A","rcode":"NOERROR","answers":[{"rrname":"host.example.)"
             R"(org","rrtype":"A","ttl":300,"rdata":"198.18.3.4"}]}})";
  } else if (kind < 85) {
    e.event_type = "tls";
    e.json = head +
             R"("dest_port":443,"proto":"TCP","event_type":"tls","tls":{"subject":"CN=)"
             R"(service.example.org","issuerdn":"CN=Example CA","serial":"01:02:03:04",)"
             R"("fingerprint":"aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd",)"
             R"("sni":"service.example.org","version":"TLS 1.2","notbefore":)"
             R"("2023-01-01T00:00:00","notafter":"2024-01-01T00:00:00","ja3":{"hash":)"
             R"("e7d705a3286e19ea42f587b344ee6865"}}})";
  } else if (kind < 93) {
    e.event_type = "http";
    e.json =
        head +
        R"("dest_port":80,"proto":"TCP","event_type":"http","tx_id":0,"http":{)"
        R"("hostname":"www.example.org","url":"/index.html?id=)" +
        std::to_string(x % 1000) +
        R"j(","http_user_agent":"Mozilla/5.0 (X11; Linux x86_64)","http_content_type":)j"
        R"("text/html","http_method":"GET","protocol":"HTTP/1.1","status":200,"length":5120}})";
  } else if (kind < 98) {
    e.event_type = "alert";
    e.severity = static_cast<int>(1 + x % 3);
    e.sid = static_cast<int64_t>(2'000'000 + x % 500);
    e.signature = "ET SCAN Suspicious inbound to port " + sport;
    e.category = "Attempted Information Leak";
    e.json = head +
             R"("dest_port":22,"proto":"TCP","event_type":"alert","alert":{"action":)"
             R"("allowed","gid":1,"signature_id":)" +
             std::to_string(e.sid) + R"(,"rev":3,"signature":")" + e.signature +
             R"(","category":")" + e.category + R"(","severity":)" + std::to_string(e.severity) +
             "}}";
  } else {
    e.event_type = "stats";
    e.src_ip.clear();
    e.dest_ip.clear();
    e.community_id.clear();
    e.json = R"({"timestamp":"2023-11-14T22:13:20.000000+0000","event_type":"stats","site":)"
             R"("ward-1","agent":"sensor-1","stats":{"uptime":1200,"capture":{"kernel_packets":)"
             R"(123456789,"kernel_drops":12},"decoder":{"pkts":123456789,"bytes":98765432100,)"
             R"("ipv4":100000000,"ipv6":23456789},"flow":{"total":4567890,"active":1234}}})";
  }
  return e;
}

double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

uint64_t file_size(const std::string& p) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(p, ec);
  return ec ? 0 : n;
}

}  // namespace

int main(int argc, char** argv) {
  const Options opt = parse(argc, argv);
  std::string dir = opt.dir;
  if (dir.empty()) {
    std::string tmpl = "/tmp/bench_store-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) {
      std::perror("mkdtemp");
      return 1;
    }
    dir = tmpl;
  }
  StoreOptions so;
  so.path = dir + "/bench.db";
  so.synchronous_full = opt.sync_full;

  // 64 distinct batches, reused with new keys (so nothing is a duplicate).
  constexpr uint64_t kTemplates = 64;
  std::vector<std::vector<StoredEvent>> templates(kTemplates);
  uint64_t json_bytes = 0;
  for (uint64_t t = 0; t < kTemplates; ++t) {
    for (uint64_t i = 0; i < opt.batch; ++i) {
      templates[t].push_back(make_event(t * opt.batch + i));
      json_bytes += templates[t].back().json.size();
    }
  }
  const uint64_t batches = (opt.events + opt.batch - 1) / opt.batch;
  std::printf(
      "bench_store: %llu events in batches of %llu (mean line %.0f bytes), sync=%s, %s\n",
      static_cast<unsigned long long>(batches * opt.batch),
      static_cast<unsigned long long>(opt.batch),
      static_cast<double>(json_bytes) / static_cast<double>(kTemplates * opt.batch),
      opt.sync_full ? "full" : "normal",
      opt.writer_threads > 0
          ? ("StoreWriter, " + std::to_string(opt.writer_threads) + " submit threads").c_str()
          : ("store_batches, " + std::to_string(opt.group) + " batches per commit").c_str());

  int rc = 0;
  try {
    auto store = EventStore::open(so);
    const auto start = Clock::now();
    const double cpu_start = cpu_seconds();
    uint64_t commits = 0;
    if (opt.writer_threads == 0) {
      std::vector<std::pair<BatchKey, std::vector<StoredEvent>>> group;
      for (uint64_t b = 0; b < batches;) {
        group.clear();
        for (uint64_t g = 0; g < opt.group && b < batches; ++g, ++b) {
          BatchKey k{"sensor-1", "ward-1", "bench", b};
          group.emplace_back(std::move(k), templates[b % kTemplates]);
        }
        store->store_batches(group);
        ++commits;
      }
    } else {
      StoreWriter writer(*store);
      std::atomic<uint64_t> next{0};
      std::atomic<uint64_t> failed{0};
      std::vector<std::thread> threads;
      for (int t = 0; t < opt.writer_threads; ++t) {
        threads.emplace_back([&, t] {
          for (uint64_t b = next++; b < batches; b = next++) {
            BatchKey k{"sensor-" + std::to_string(t), "ward-1", "bench", b};
            auto done = [&failed](const StoreResult&, const std::string& e) {
              if (!e.empty()) failed++;
            };
            while (!writer.submit(k, templates[b % kTemplates], done)) {
              std::this_thread::sleep_for(std::chrono::milliseconds(1));  // 503: retry
            }
          }
        });
      }
      for (auto& th : threads) th.join();
      while (writer.queued_events() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      commits = writer.commits();
      if (failed > 0)
        std::fprintf(stderr, "bench_store: %llu batches failed\n",
                     static_cast<unsigned long long>(failed.load()));
    }
    const double secs = std::chrono::duration<double>(Clock::now() - start).count();
    const double cpu = cpu_seconds() - cpu_start;
    const uint64_t stored = batches * opt.batch;
    std::printf(
        "stored %llu events in %.2f s: %.0f events/s (CPU %.2f s: %.0f events per CPU-second), "
        "%llu commits, file %.1f MB\n",
        static_cast<unsigned long long>(stored), secs, static_cast<double>(stored) / secs, cpu,
        static_cast<double>(stored) / cpu, static_cast<unsigned long long>(commits),
        static_cast<double>(file_size(so.path) + file_size(so.path + "-wal")) / 1e6);
    const auto vstart = Clock::now();
    const auto report = store->verify();
    const double vsecs = std::chrono::duration<double>(Clock::now() - vstart).count();
    std::printf("verify: %s, %llu rows in %.2f s (%.0f rows/s)\n", report.ok ? "ok" : "BROKEN",
                static_cast<unsigned long long>(report.rows_checked), vsecs,
                static_cast<double>(report.rows_checked) / vsecs);
    if (!report.ok) rc = 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_store: %s\n", e.what());
    rc = 1;
  }
  if (!opt.keep && opt.dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  return rc;
}
