// Single-thread benchmark of the agent's packet path over a pcap file.
//
//   bench_decode_flow [--reps N] FILE
//     (a) bare libpcap read loop (pcap_next_ex, one byte of each packet
//         touched): the ceiling;
//     (d) read + decode_packet only;
//     (b) read + decode + defrag + FlowTable::process + advance_time, as the
//         agent's single-worker pipeline does it (no EVE output).
//     Repetitions are interleaved (a, d, b, a, d, b, ...); the best of each
//     is reported, with the ratios to (a).
//
//   bench_decode_flow --only a|d|b [--reps N] FILE
//     One path alone, for a profiler (perf record, valgrind --tool=callgrind).
//
//   bench_decode_flow --flows N [--ipv6-share F]
//     (c) N distinct flows built in memory (TCP SYN and UDP, IPv4 and IPv6,
//         all within 10 s of packet time so none expires) fed through decode
//         and the flow table; reports peak RSS (VmHWM) and the table's memuse.
//     Run it as its own process so the peak belongs to the flow table alone.
//
// Figures only: nothing here asserts a timing.
#include <pcap/pcap.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "decode/decoder.h"
#include "flow/flow_table.h"
#include "reassembly/defrag.h"

namespace {

using Clock = std::chrono::steady_clock;

struct RunResult {
  uint64_t packets = 0;
  uint64_t wire_bytes = 0;
  double seconds = 0;
  uint64_t checksum = 0;  // keeps the compiler from dropping the work
};

pcap_t* open_or_die(const char* path) {
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* h = pcap_open_offline(path, err);
  if (!h) {
    std::fprintf(stderr, "bench_decode_flow: %s\n", err);
    std::exit(1);
  }
  return h;
}

RunResult run_bare(const char* path) {
  RunResult r;
  const auto t0 = Clock::now();
  pcap_t* h = open_or_die(path);
  pcap_pkthdr* hdr = nullptr;
  const u_char* data = nullptr;
  while (pcap_next_ex(h, &hdr, &data) == 1) {
    ++r.packets;
    r.wire_bytes += hdr->len;
    if (hdr->caplen) r.checksum += data[0];
  }
  pcap_close(h);
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return r;
}

struct PathStats {
  nsm4::DecodeStats decode;
  nsm4::DefragStats defrag;
  nsm4::FlowStats flow;
  uint64_t flows_ended = 0;
  size_t peak_flows = 0;
  std::array<uint64_t, 256> ended_by_proto{};  // flows ended, by IP protocol
};

// decode only (with_flows false) or the whole decode+defrag+flow path.
RunResult run_path(const char* path, bool with_flows, PathStats* out) {
  RunResult r;
  const auto t0 = Clock::now();
  pcap_t* h = open_or_die(path);
  const int dlt = pcap_datalink(h);
  nsm4::DecodeContext decode;
  nsm4::Defragmenter defrag;
  uint64_t ended = 0;
  std::array<uint64_t, 256> by_proto{};
  nsm4::FlowTable flows(nsm4::FlowConfig{}, [&](const nsm4::Flow& f, nsm4::FlowEndReason) {
    ++ended;
    ++by_proto[f.key.proto];
  });
  std::vector<uint8_t> reassembled;
  nsm4::Timestamp last{};
  int64_t last_tick_sec = 0;
  size_t peak = 0;
  pcap_pkthdr* hdr = nullptr;
  const u_char* data = nullptr;
  auto to_flow = [&](const nsm4::Packet& p) {
    if (p.ts.sec > last_tick_sec) {
      last_tick_sec = p.ts.sec;
      flows.advance_time(p.ts);
      peak = std::max(peak, flows.size());
    }
    if (!p.invalid && p.ip_version && !p.is_fragment) {
      bool toserver = true;
      if (nsm4::Flow* f = flows.process(p, toserver)) r.checksum += f->toserver.pkts;
    }
  };
  while (pcap_next_ex(h, &hdr, &data) == 1) {
    nsm4::Packet p;
    p.pcap_cnt = ++r.packets;
    p.ts = {hdr->ts.tv_sec, static_cast<int32_t>(hdr->ts.tv_usec)};
    if (p.ts < last) p.ts = last;
    last = p.ts;
    p.data = data;
    p.caplen = hdr->caplen;
    p.wirelen = hdr->len;
    p.datalink = dlt;
    r.wire_bytes += hdr->len;
    nsm4::decode_packet(decode, p);
    r.checksum += p.ip_proto;
    if (!with_flows) continue;
    to_flow(p);
    if (p.is_fragment && !p.invalid && defrag.add(decode, p, reassembled)) {
      // Same rebuild as the agent's pipeline: decode the datagram from IP.
      nsm4::Packet whole;
      whole.pcap_cnt = p.pcap_cnt;
      whole.ts = p.ts;
      whole.datalink = p.datalink;
      whole.has_eth = p.has_eth;
      std::memcpy(whole.eth_src, p.eth_src, 6);
      std::memcpy(whole.eth_dst, p.eth_dst, 6);
      whole.vlan_count = p.vlan_count;
      whole.vlan = p.vlan;
      whole.tunnel_depth = p.tunnel_depth;
      whole.reassembled = true;
      whole.data = reassembled.data();
      whole.caplen = static_cast<uint32_t>(reassembled.size());
      whole.wirelen = whole.caplen + static_cast<uint32_t>(p.ip_hdr - p.data);
      decode.depth = 0;
      nsm4::decode_layer(decode, whole, p.ip_version == 4 ? nsm4::Layer::kIpv4 : nsm4::Layer::kIpv6,
                         reassembled.data(), whole.caplen);
      to_flow(whole);
    }
    if ((r.packets & 0xfff) == 0) defrag.advance_time(p.ts);
  }
  pcap_close(h);
  if (with_flows) {
    peak = std::max(peak, flows.size());
    flows.advance_time(last);
    flows.flush_all();
  }
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  if (out) {
    out->decode = decode.stats();
    out->defrag = defrag.stats();
    out->flow = flows.stats();
    out->flows_ended = ended;
    out->peak_flows = peak;
    out->ended_by_proto = by_proto;
  }
  return r;
}

void print_row(const char* name, const RunResult& r, const RunResult& base) {
  const double pps = static_cast<double>(r.packets) / r.seconds;
  const double gbps = static_cast<double>(r.wire_bytes) * 8 / r.seconds / 1e9;
  std::printf("%-32s %10llu pkts %9.4f s %12.0f pkts/s %8.3f Gbit/s  %6.1f%% of (a)\n", name,
              static_cast<unsigned long long>(r.packets), r.seconds, pps, gbps,
              100.0 * base.seconds / r.seconds);
}

// only: 0 = all three; 'a', 'd' or 'b' = that path alone (for profiling).
int bench_file(const char* path, int reps, char only) {
  RunResult best_bare, best_decode, best_full;
  best_bare.seconds = best_decode.seconds = best_full.seconds = 1e300;
  PathStats st;
  uint64_t sink = 0;
  std::vector<double> paired;  // (b)/(a) of runs next to each other in time
  for (int i = 0; i < reps; ++i) {
    if (only) {
      RunResult r = only == 'a'   ? run_bare(path)
                    : only == 'd' ? run_path(path, false, nullptr)
                                  : run_path(path, true, nullptr);
      std::printf("(%c) %llu packets in %.4f s\n", only, static_cast<unsigned long long>(r.packets),
                  r.seconds);
      continue;
    }
    RunResult a = run_bare(path);
    RunResult d = run_path(path, false, nullptr);
    RunResult b = run_path(path, true, i == 0 ? &st : nullptr);
    sink += a.checksum + d.checksum + b.checksum;
    std::fprintf(stderr, "rep %d: bare %.4f s, decode %.4f s, decode+flow %.4f s\n", i + 1,
                 a.seconds, d.seconds, b.seconds);
    paired.push_back(a.seconds / b.seconds);
    if (a.seconds < best_bare.seconds) best_bare = a;
    if (d.seconds < best_decode.seconds) best_decode = d;
    if (b.seconds < best_full.seconds) best_full = b;
  }
  if (only) return 0;
  std::printf("file: %s\nbest of %d interleaved repetitions, one thread\n", path, reps);
  print_row("(a) bare libpcap read", best_bare, best_bare);
  print_row("(d) read + decode", best_decode, best_bare);
  print_row("(b) read + decode + defrag + flow", best_full, best_bare);
  std::printf("ratio (b)/(a) = %.3f   (goal >= 0.5: %s)\n", best_bare.seconds / best_full.seconds,
              best_bare.seconds / best_full.seconds >= 0.5 ? "met" : "NOT met");
  std::sort(paired.begin(), paired.end());
  std::printf("median of the %zu per-repetition ratios (b)/(a) = %.3f (min %.3f, max %.3f)\n",
              paired.size(), paired[paired.size() / 2], paired.front(), paired.back());
  const double ns_a = best_bare.seconds * 1e9 / static_cast<double>(best_bare.packets);
  const double ns_d = best_decode.seconds * 1e9 / static_cast<double>(best_decode.packets);
  const double ns_b = best_full.seconds * 1e9 / static_cast<double>(best_full.packets);
  std::printf("per packet: read %.1f ns, decode %.1f ns, defrag+flow %.1f ns\n", ns_a, ns_d - ns_a,
              ns_b - ns_d);
  const auto& ds = st.decode;
  std::printf(
      "decode: %llu pkts, %llu invalid, %llu IPv4, %llu IPv6 | defrag: %llu+%llu fragments, "
      "%llu+%llu reassembled\n",
      static_cast<unsigned long long>(ds.pkts), static_cast<unsigned long long>(ds.invalid),
      static_cast<unsigned long long>(ds.ipv4), static_cast<unsigned long long>(ds.ipv6),
      static_cast<unsigned long long>(st.defrag.ipv4_fragments),
      static_cast<unsigned long long>(st.defrag.ipv6_fragments),
      static_cast<unsigned long long>(st.defrag.ipv4_reassembled),
      static_cast<unsigned long long>(st.defrag.ipv6_reassembled));
  std::printf(
      "flows: %llu created (tcp %llu, udp %llu, icmp %llu, other %llu), %llu ended, "
      "peak %zu open, %llu TCP without SYN ignored\n",
      static_cast<unsigned long long>(st.flow.created),
      static_cast<unsigned long long>(st.flow.created_tcp),
      static_cast<unsigned long long>(st.flow.created_udp),
      static_cast<unsigned long long>(st.flow.created_icmp),
      static_cast<unsigned long long>(st.flow.created_other),
      static_cast<unsigned long long>(st.flows_ended), st.peak_flows,
      static_cast<unsigned long long>(st.flow.tcp_midstream_ignored));
  std::printf("flows by IP protocol:");
  for (size_t i = 0; i < st.ended_by_proto.size(); ++i) {
    if (st.ended_by_proto[i]) {
      std::printf(" %zu:%llu", i, static_cast<unsigned long long>(st.ended_by_proto[i]));
    }
  }
  std::printf("\n");
  std::fprintf(stderr, "(checksum %llu)\n", static_cast<unsigned long long>(sink));
  return 0;
}

// kB value of a "Name:   1234 kB" line of /proc/self/status.
uint64_t proc_status_kb(std::string_view key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, key.size(), key) == 0 && line.size() > key.size() &&
        line[key.size()] == ':') {
      return std::strtoull(line.c_str() + key.size() + 1, nullptr, 10);
    }
  }
  return 0;
}

void put16(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}

// Writes frame `i` of the flow-load test into buf (Ethernet, IPv4 or IPv6,
// TCP SYN or UDP) and returns its length. Flow i has a unique client
// address/port pair. Checksums are left zero: validation is off by default.
uint32_t load_frame(uint64_t i, bool v6, uint8_t* buf) {
  std::memset(buf, 0, 128);
  const uint8_t macs[12] = {0x00, 0x00, 0x5e, 0x00, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
  std::memcpy(buf, macs, 12);
  const bool tcp = i % 2 == 0;
  const uint32_t l4len = tcp ? 20 : 8 + 32;
  const uint32_t client = static_cast<uint32_t>(i / 50000);  // 50,000 ports per address
  const uint16_t sport = static_cast<uint16_t>(10000 + i % 50000);
  uint8_t* ip = buf + 14;
  uint8_t* l4;
  if (v6) {
    put16(buf + 12, 0x86dd);
    ip[0] = 0x60;
    put16(ip + 4, l4len);
    ip[6] = tcp ? 6 : 17;
    ip[7] = 64;
    const uint8_t src[8] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00};
    std::memcpy(ip + 8, src, 8);
    put16(ip + 20, client >> 16);
    put16(ip + 22, client);
    const uint8_t dst[16] = {0x20, 0x01, 0x0d, 0xb8, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10};
    std::memcpy(ip + 24, dst, 16);
    ip[39] = static_cast<uint8_t>(i % 251);
    l4 = ip + 40;
  } else {
    put16(buf + 12, 0x0800);
    ip[0] = 0x45;
    put16(ip + 2, 20 + l4len);
    ip[8] = 64;
    ip[9] = tcp ? 6 : 17;
    ip[12] = 10;
    ip[13] = static_cast<uint8_t>(client >> 16);
    ip[14] = static_cast<uint8_t>(client >> 8);
    ip[15] = static_cast<uint8_t>(client);
    ip[16] = 198;
    ip[17] = 18;
    ip[18] = 0;
    ip[19] = static_cast<uint8_t>(i % 251);
    l4 = ip + 20;
  }
  put16(l4, sport);
  if (tcp) {
    put16(l4 + 2, i % 3 == 0 ? 80 : 443);
    put16(l4 + 4, static_cast<uint32_t>(i));
    l4[12] = 0x50;
    l4[13] = 0x02;  // SYN
    put16(l4 + 14, 64240);
  } else {
    put16(l4 + 2, 53);
    put16(l4 + 4, l4len);
  }
  const uint32_t n = static_cast<uint32_t>(l4 + l4len - buf);
  return std::max<uint32_t>(n, 60);
}

int bench_flows(uint64_t n, double ipv6_share) {
  const uint64_t rss_start = proc_status_kb("VmRSS");
  nsm4::DecodeContext decode;
  uint64_t ended = 0;
  nsm4::FlowConfig cfg;
  nsm4::FlowTable flows(cfg, [&ended](const nsm4::Flow&, nsm4::FlowEndReason) { ++ended; });
  const uint64_t rss_ready = proc_status_kb("VmRSS");
  uint8_t buf[128];
  const int64_t t0_us = 1709280000LL * 1000000;
  const int64_t step_us = std::max<int64_t>(1, 10'000'000 / static_cast<int64_t>(n ? n : 1));
  uint64_t no_flow = 0;
  int64_t last_sec = 0;
  const auto c0 = Clock::now();
  for (uint64_t i = 0; i < n; ++i) {
    // Spreads the IPv6 flows evenly: flow i is IPv6 when the running share
    // steps up at i.
    const bool v6 = static_cast<uint64_t>(static_cast<double>(i + 1) * ipv6_share) >
                    static_cast<uint64_t>(static_cast<double>(i) * ipv6_share);
    nsm4::Packet p;
    p.pcap_cnt = i + 1;
    const int64_t t = t0_us + static_cast<int64_t>(i) * step_us;
    p.ts = {t / 1000000, static_cast<int32_t>(t % 1000000)};
    p.caplen = p.wirelen = load_frame(i, v6, buf);
    p.data = buf;
    p.datalink = DLT_EN10MB;
    nsm4::decode_packet(decode, p);
    bool toserver = true;
    if (p.ts.sec > last_sec) {  // as the worker does: once per second of packet time
      last_sec = p.ts.sec;
      flows.advance_time(p.ts);
    }
    if (!flows.process(p, toserver)) ++no_flow;
  }
  const double secs = std::chrono::duration<double>(Clock::now() - c0).count();
  const uint64_t hwm = proc_status_kb("VmHWM");
  const uint64_t rss_end = proc_status_kb("VmRSS");
  const auto& fs = flows.stats();
  const auto& ds = decode.stats();
  std::printf("flow load: %llu packets, %llu distinct flows offered (IPv4 %llu, IPv6 %llu)\n",
              static_cast<unsigned long long>(n), static_cast<unsigned long long>(n),
              static_cast<unsigned long long>(ds.ipv4), static_cast<unsigned long long>(ds.ipv6));
  std::printf(
      "flow table: %zu open, %llu created, %llu ended, %llu emergency evictions, "
      "%llu packets without flow\n",
      flows.size(), static_cast<unsigned long long>(fs.created),
      static_cast<unsigned long long>(ended),
      static_cast<unsigned long long>(fs.emergency_evictions),
      static_cast<unsigned long long>(no_flow));
  std::printf("flow table memuse: %.1f MiB (%zu bytes per flow accounted)\n",
              static_cast<double>(fs.memuse) / 1048576.0, nsm4::FlowTable::kBytesPerFlow);
  std::printf(
      "RSS: start %.1f MiB, after setup %.1f MiB, end %.1f MiB, peak (VmHWM) %.1f MiB"
      "   (goal <= 300 MB: %s)\n",
      static_cast<double>(rss_start) / 1024, static_cast<double>(rss_ready) / 1024,
      static_cast<double>(rss_end) / 1024, static_cast<double>(hwm) / 1024,
      hwm * 1024 <= 300ull * 1000 * 1000 ? "met" : "NOT met");
  std::printf("insert rate: %.0f new flows/s (decode + create)\n", static_cast<double>(n) / secs);
  return 0;
}

void usage() {
  std::fputs(
      "usage: bench_decode_flow [--reps N] [--only a|d|b] FILE   decode+flow vs bare read\n"
      "       bench_decode_flow --flows N [--ipv6-share F]   N concurrent flows: peak RSS\n",
      stderr);
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 3;
  uint64_t flows = 0;
  double ipv6_share = 0.4;
  const char* file = nullptr;
  char only = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if ((a == "--reps" || a == "--flows" || a == "--ipv6-share" || a == "--only") &&
        i + 1 >= argc) {
      usage();
      return 2;
    }
    if (a == "--reps") {
      reps = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--only") {
      only = argv[++i][0];
      if (only != 'a' && only != 'd' && only != 'b') {
        usage();
        return 2;
      }
    } else if (a == "--flows") {
      flows = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--ipv6-share") {
      ipv6_share = std::strtod(argv[++i], nullptr);
    } else if (a == "-h" || a == "--help") {
      usage();
      return 0;
    } else if (!file && a[0] != '-') {
      file = argv[i];
    } else {
      usage();
      return 2;
    }
  }
  if (flows) return bench_flows(flows, ipv6_share);
  if (!file) {
    usage();
    return 2;
  }
  return bench_file(file, reps, only);
}
