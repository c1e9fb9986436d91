#include "engine/summary.h"

#include <cstdio>
#include <iostream>

namespace nsm4 {

namespace {
double pct(uint64_t part, uint64_t whole) {
  return whole ? 100.0 * part / whole : 0.0;
}
}  // namespace

void print_summary(std::ostream& os, const RunResult& r, const std::string& input,
                   const std::string& eve_path) {
  const auto& d = r.stats.decode;
  const auto& f = r.stats.workers.flow;
  char line[512];
  std::snprintf(line, sizeof line,
                "nsm4-agent: %s: %llu packets, %.1f MB in %.2f s (%.0f packets/s)\n", input.c_str(),
                static_cast<unsigned long long>(d.pkts), d.bytes / 1e6, r.seconds,
                r.seconds > 0 ? d.pkts / r.seconds : 0.0);
  os << line;
  std::snprintf(line, sizeof line,
                "  IPv4 %llu (%.1f%%), IPv6 %llu (%.1f%%), other %llu, invalid %llu\n",
                static_cast<unsigned long long>(d.ipv4), pct(d.ipv4, d.pkts),
                static_cast<unsigned long long>(d.ipv6), pct(d.ipv6, d.pkts),
                static_cast<unsigned long long>(d.pkts - d.ipv4 - d.ipv6),
                static_cast<unsigned long long>(d.invalid));
  os << line;
  std::snprintf(line, sizeof line,
                "  flows %llu (tcp %llu, udp %llu, icmp %llu, other %llu), evicted under memcap "
                "%llu\n",
                static_cast<unsigned long long>(f.created),
                static_cast<unsigned long long>(f.created_tcp),
                static_cast<unsigned long long>(f.created_udp),
                static_cast<unsigned long long>(f.created_icmp),
                static_cast<unsigned long long>(f.created_other),
                static_cast<unsigned long long>(f.emergency_evictions));
  os << line;
  if (r.stats.capture.kernel_packets || r.stats.capture.kernel_drops) {
    std::snprintf(line, sizeof line, "  kernel: %llu received, %llu dropped\n",
                  static_cast<unsigned long long>(r.stats.capture.kernel_packets),
                  static_cast<unsigned long long>(r.stats.capture.kernel_drops));
    os << line;
  }
  const app::AppStats& a = r.stats.workers.app;
  std::snprintf(line, sizeof line,
                "  app layer: http %llu, tls %llu, dns %llu flows; %llu undetected; %llu "
                "transactions\n",
                static_cast<unsigned long long>(a.flows[app::kProtoHttp]),
                static_cast<unsigned long long>(a.flows[app::kProtoTls]),
                static_cast<unsigned long long>(a.flows[app::kProtoDns]),
                static_cast<unsigned long long>(a.flows[app::kProtoFailed]),
                static_cast<unsigned long long>(a.txs));
  os << line;
  std::snprintf(line, sizeof line,
                "  events: %llu alert, %llu flow, %llu app, %llu anomaly -> %s\n",
                static_cast<unsigned long long>(r.stats.workers.alert_events),
                static_cast<unsigned long long>(r.stats.workers.flow_events),
                static_cast<unsigned long long>(r.stats.workers.app_events),
                static_cast<unsigned long long>(r.stats.workers.anomaly_events), eve_path.c_str());
  os << line;
}

void print_forward_summary(std::ostream& os, const forward::ForwardStats& f,
                           const std::string& collector) {
  char line[512];
  std::snprintf(line, sizeof line,
                "  forwarded: %llu events in %llu batches -> %s; spooled %llu batches (%.1f MB, "
                "sent on the next start); dropped %llu batches (%llu events); rejected %llu "
                "batches; %llu retries; waited for room %llu times\n",
                static_cast<unsigned long long>(f.sent_events),
                static_cast<unsigned long long>(f.sent_batches), collector.c_str(),
                static_cast<unsigned long long>(f.spool_batches), f.spool_bytes / 1e6,
                static_cast<unsigned long long>(f.dropped_batches),
                static_cast<unsigned long long>(f.dropped_events),
                static_cast<unsigned long long>(f.rejected_batches),
                static_cast<unsigned long long>(f.retries),
                static_cast<unsigned long long>(f.blocked_waits));
  os << line;
}

void print_progress(const PacketSource& src, uint64_t packets) {
  uint64_t size = src.file_size();
  if (size) {
    std::printf("\r\033[Knsm4-agent: %5.1f%%  %llu packets", pct(src.file_position(), size),
                static_cast<unsigned long long>(packets));
  } else {
    std::printf("\r\033[Knsm4-agent: %llu packets", static_cast<unsigned long long>(packets));
  }
  std::fflush(stdout);
}

}  // namespace nsm4
