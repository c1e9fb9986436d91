// Writes K copies of a capture into one file, each copy's timestamps shifted
// one hour past the end of the previous copy, so no flow spans two copies.
// For longer benchmark runs over a small real capture:
//
//   pcap_repeat -n 10 /work/shared/bench/sv-mix.pcap /tmp/sv-mix-x10.pcap
#include <pcap/pcap.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

int64_t micros(const timeval& tv) {
  return int64_t{tv.tv_sec} * 1000000 + tv.tv_usec;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5 || std::strcmp(argv[1], "-n") != 0) {
    std::fputs("usage: pcap_repeat -n K IN OUT\n", stderr);
    return 2;
  }
  const int copies = std::atoi(argv[2]);
  const char* in_path = argv[3];
  const char* out_path = argv[4];
  if (copies < 1) {
    std::fputs("pcap_repeat: K must be >= 1\n", stderr);
    return 2;
  }
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* first = pcap_open_offline(in_path, err);
  if (!first) {
    std::fprintf(stderr, "pcap_repeat: %s\n", err);
    return 1;
  }
  pcap_dumper_t* out = pcap_dump_open(first, out_path);
  if (!out) {
    std::fprintf(stderr, "pcap_repeat: %s\n", pcap_geterr(first));
    return 1;
  }
  int64_t shift = 0;
  uint64_t packets = 0;
  for (int c = 0; c < copies; ++c) {
    pcap_t* in = c == 0 ? first : pcap_open_offline(in_path, err);
    if (!in) {
      std::fprintf(stderr, "pcap_repeat: %s\n", err);
      return 1;
    }
    pcap_pkthdr* hdr = nullptr;
    const u_char* data = nullptr;
    int64_t first_ts = -1, last_ts = 0;
    while (pcap_next_ex(in, &hdr, &data) == 1) {
      const int64_t ts = micros(hdr->ts);
      if (first_ts < 0) first_ts = ts;
      if (ts > last_ts) last_ts = ts;
      pcap_pkthdr h = *hdr;
      const int64_t shifted = ts + shift;
      h.ts.tv_sec = static_cast<time_t>(shifted / 1000000);
      h.ts.tv_usec = static_cast<suseconds_t>(shifted % 1000000);
      pcap_dump(reinterpret_cast<u_char*>(out), &h, data);
      ++packets;
    }
    if (first_ts >= 0) shift += last_ts - first_ts + 3600ll * 1000000;
    if (c != 0) pcap_close(in);
  }
  pcap_dump_close(out);
  pcap_close(first);
  std::fprintf(stderr, "pcap_repeat: %llu packets written to %s\n",
               static_cast<unsigned long long>(packets), out_path);
  return 0;
}
