// Detection benchmark: rule-set compile time and memory, and single-thread
// throughput with each rule set loaded, all in one process run.
//
//   bench_detect [--reps N] [--set NAME=PATH]... [--compile-only] FILE...
//
// PATH is a rules file or a directory (all its *.rules files, sorted).
// Default sets: nsm4 (rules/sets/nsm4.rules), snort3-community and etopen
// (../shared/rulesets/), relative to the source tree this was built from.
//
// (1) Compile: load + parse + Engine::build through detect::load_rule_files,
//     the agent's own start-up path. Repetitions interleaved over the sets;
//     best and median seconds. Memory of the first compile of each set:
//     VmRSS after minus before (the engine kept alive) and the peak during
//     the compile (VmHWM, reset through /proc/self/clear_refs beforehand).
// (2) Throughput: nsm4::Pipeline with one worker (read + decode + defrag +
//     flow + detect + EVE formatting, inline on the reading thread, exactly
//     what `nsm4-agent -r FILE --workers 1` runs) with no rules and with each
//     set, EVE written to /dev/null. Repetitions interleaved over the
//     configurations (none, set1, set2, ...); best and median packets/s and
//     the ratio to no rules (best-of, and the median of per-repetition ratios).
//
// Figures only: nothing here asserts a timing.
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "capture/packet_source.h"
#include "detect/engine_slot.h"
#include "detect/rule_set_loader.h"
#include "engine/pipeline.h"
#include "nsm4/rules/variables.h"
#include "output/eve_sink.h"

#ifndef NSM4_SOURCE_DIR
#define NSM4_SOURCE_DIR "."
#endif

namespace {

using Clock = std::chrono::steady_clock;

struct RuleSetSpec {
  std::string name;
  std::vector<std::string> files;
};

// VmRSS or VmHWM of this process, in KiB.
long status_kib(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const size_t n = std::strlen(field);
  while (std::getline(in, line))
    if (line.compare(0, n, field) == 0 && line.size() > n && line[n] == ':')
      return std::atol(line.c_str() + n + 1);
  return -1;
}

// Resets VmHWM to the current RSS (Linux >= 4.0); false when not allowed.
bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

std::vector<std::string> rule_files(const std::string& path) {
  std::vector<std::string> files;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    for (const auto& e : std::filesystem::directory_iterator(path, ec))
      if (e.path().extension() == ".rules") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
  } else if (std::filesystem::exists(path, ec)) {
    files.push_back(path);
  }
  return files;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

struct Compiled {
  std::shared_ptr<const nsm4::detect::Engine> engine;
  size_t loaded = 0, skipped = 0, errors = 0;
  double seconds = 0;
};

Compiled compile(const RuleSetSpec& s, const nsm4::rules::Variables& vars) {
  Compiled c;
  const auto t0 = Clock::now();
  nsm4::detect::LoadResult lr = nsm4::detect::load_rule_files(s.files, vars, false);
  c.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  c.engine = lr.engine;
  c.loaded = lr.loaded;
  c.skipped = lr.skipped + (lr.engine ? lr.engine->stats().skipped : 0);
  c.errors = lr.errors;
  return c;
}

struct RunFigures {
  uint64_t packets = 0;
  uint64_t alerts = 0;  // EVE events that are neither flow, anomaly nor stats
  double seconds = 0;
};

// engine: nullptr runs no detection. Each run gets a fresh slot, as each agent
// process does: its threshold / detection_filter counters start empty.
RunFigures run_pipeline(const std::string& pcap,
                        const std::shared_ptr<const nsm4::detect::Engine>& engine) {
  nsm4::detect::EngineSlot slot;
  if (engine) slot.publish(engine);
  const nsm4::detect::EngineSlot* rules = engine ? &slot : nullptr;
  nsm4::PipelineConfig cfg;
  cfg.workers = 1;
  cfg.stats_interval_sec = 0;  // as --stats-interval 0: one final stats record
  nsm4::EveSink sink;
  if (auto e = sink.open("/dev/null", false); !e.empty()) {
    std::fprintf(stderr, "bench_detect: /dev/null: %s\n", e.c_str());
    std::exit(1);
  }
  nsm4::CaptureOptions opts;
  opts.file = pcap;
  nsm4::CaptureError err;
  const auto t0 = Clock::now();
  auto src = nsm4::PacketSource::open(opts, err);
  if (!src) {
    std::fprintf(stderr, "bench_detect: %s\n", err.message.c_str());
    std::exit(1);
  }
  std::atomic<bool> stop{false};
  nsm4::RunResult r;
  {
    nsm4::Pipeline pipeline(cfg, sink, rules);
    r = pipeline.run(*src, stop, {});
  }  // the pipeline's teardown (flow state, detection scratch) is timed too
  RunFigures f;
  f.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  f.packets = r.stats.decode.pkts;
  const uint64_t other = r.stats.workers.flow_events + r.stats.workers.anomaly_events + 1;
  const uint64_t events = sink.events_written();
  f.alerts = events > other ? events - other : 0;
  return f;
}

int usage() {
  std::fprintf(stderr,
               "usage: bench_detect [--reps N] [--set NAME=PATH]... [--compile-only] FILE...\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 3;
  bool compile_only = false;
  std::vector<RuleSetSpec> sets;
  std::vector<std::string> pcaps;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--reps" && i + 1 < argc) {
      reps = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--set" && i + 1 < argc) {
      std::string v = argv[++i];
      const size_t eq = v.find('=');
      if (eq == std::string::npos) return usage();
      sets.push_back({v.substr(0, eq), rule_files(v.substr(eq + 1))});
    } else if (a == "--compile-only") {
      compile_only = true;
    } else if (!a.empty() && a[0] == '-') {
      return usage();
    } else {
      pcaps.push_back(a);
    }
  }
  if (sets.empty()) {
    const std::string src = NSM4_SOURCE_DIR;
    sets.push_back({"nsm4", rule_files(src + "/rules/sets/nsm4.rules")});
    sets.push_back({"snort3-community", rule_files(src + "/../shared/rulesets/snort3-community")});
    sets.push_back({"etopen", rule_files(src + "/../shared/rulesets/etopen")});
  }
  for (const auto& s : sets) {
    if (s.files.empty()) {
      std::fprintf(stderr, "bench_detect: set %s: no rules file found\n", s.name.c_str());
      return 1;
    }
  }
  if (pcaps.empty() && !compile_only) return usage();

  const nsm4::rules::Variables vars = nsm4::rules::Variables::suricata_defaults();

  // (1) Memory: the first compile of each set, in its own window.
  std::printf("== compile: load + parse + Engine::build (detect::load_rule_files), %d reps\n",
              reps);
  std::vector<std::shared_ptr<const nsm4::detect::Engine>> engines(sets.size());
  std::vector<std::vector<double>> times(sets.size());
  std::printf("%-18s %6s %7s %7s %6s %9s %12s %12s %10s\n", "set", "files", "loaded", "rules",
              "skip", "first s", "RSS kept MiB", "peak +MiB", "peak MiB");
  for (size_t i = 0; i < sets.size(); ++i) {
    malloc_trim(0);
    const long rss0 = status_kib("VmRSS");
    const bool peak_ok = reset_peak_rss();
    Compiled c = compile(sets[i], vars);
    const long rss1 = status_kib("VmRSS");
    const long hwm = status_kib("VmHWM");
    times[i].push_back(c.seconds);
    engines[i] = c.engine;
    std::printf("%-18s %6zu %7zu %7zu %6zu %9.3f %12.1f %12s %10.1f\n", sets[i].name.c_str(),
                sets[i].files.size(), c.loaded, c.engine ? c.engine->stats().rules : 0, c.skipped,
                c.seconds, (rss1 - rss0) / 1024.0,
                peak_ok ? std::to_string((hwm - rss0) / 1024).c_str() : "n/a", hwm / 1024.0);
  }
  // More compile repetitions, interleaved over the sets (engines kept, so
  // each new compile runs with the same memory already in use).
  for (int r = 1; r < reps; ++r)
    for (size_t i = 0; i < sets.size(); ++i) times[i].push_back(compile(sets[i], vars).seconds);
  std::printf("%-18s %10s %10s %10s\n", "set", "best s", "median s", "worst s");
  for (size_t i = 0; i < sets.size(); ++i)
    std::printf("%-18s %10.3f %10.3f %10.3f\n", sets[i].name.c_str(),
                *std::min_element(times[i].begin(), times[i].end()), median(times[i]),
                *std::max_element(times[i].begin(), times[i].end()));
  std::printf("process RSS with all sets compiled: %.1f MiB\n\n", status_kib("VmRSS") / 1024.0);
  if (compile_only) return 0;

  // (2) Throughput, configuration 0 = no rules.
  const size_t configs = sets.size() + 1;
  auto config_name = [&](size_t c) { return c == 0 ? std::string("none") : sets[c - 1].name; };
  for (const std::string& pcap : pcaps) {
    std::printf("== throughput: Pipeline, 1 worker, EVE to /dev/null, %s, %d reps\n", pcap.c_str(),
                reps);
    std::vector<std::vector<double>> secs(configs), ratio(configs);
    std::vector<RunFigures> first(configs);
    for (int r = 0; r < reps; ++r) {
      double base = 0;
      for (size_t c = 0; c < configs; ++c) {
        RunFigures f = run_pipeline(pcap, c == 0 ? nullptr : engines[c - 1]);
        if (r == 0) first[c] = f;
        if (f.packets != first[c].packets || f.alerts != first[c].alerts)
          std::fprintf(stderr, "bench_detect: %s: run %d differs from run 1\n",
                       config_name(c).c_str(), r + 1);
        secs[c].push_back(f.seconds);
        if (c == 0) base = f.seconds;
        ratio[c].push_back(base / f.seconds);
      }
    }
    const double best0 = *std::min_element(secs[0].begin(), secs[0].end());
    std::printf("%-18s %9s %8s %12s %12s %9s %9s %9s\n", "rules", "packets", "alerts", "best pkt/s",
                "median pkt/s", "best s", "ratio", "med ratio");
    for (size_t c = 0; c < configs; ++c) {
      const double best = *std::min_element(secs[c].begin(), secs[c].end());
      const double pk = static_cast<double>(first[c].packets);
      std::printf("%-18s %9llu %8llu %12.0f %12.0f %9.4f %9.3f %9.3f\n", config_name(c).c_str(),
                  static_cast<unsigned long long>(first[c].packets),
                  static_cast<unsigned long long>(first[c].alerts), pk / best, pk / median(secs[c]),
                  best, best0 / best, median(ratio[c]));
    }
    std::printf("\n");
  }
  return 0;
}
