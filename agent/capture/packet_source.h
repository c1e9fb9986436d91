#pragma once
// Packet capture through libpcap: a file (pcap or pcapng), standard input, or
// a live interface, with an optional BPF filter.
#include <cstdint>
#include <memory>
#include <string>

struct pcap;
struct pcap_pkthdr;

namespace nsm4 {

struct CaptureOptions {
  std::string file;   // path, or "-" for standard input
  std::string iface;  // live interface
  int snaplen = 262144;
  bool promisc = true;
  int buffer_size = 0;  // bytes; 0 = libpcap's default
  int timeout_ms = 100;
  std::string bpf;
};

enum class CaptureErrorKind { kNone, kOpen, kFilter, kLinkType };

struct CaptureError {
  CaptureErrorKind kind = CaptureErrorKind::kNone;
  std::string message;
};

struct CaptureCounters {
  uint64_t kernel_packets = 0;
  uint64_t kernel_drops = 0;
  uint64_t kernel_ifdrops = 0;
};

class PacketSource {
 public:
  // Opens the source. On failure returns nullptr and fills `err`.
  static std::unique_ptr<PacketSource> open(const CaptureOptions& opts, CaptureError& err);
  ~PacketSource();
  PacketSource(const PacketSource&) = delete;
  PacketSource& operator=(const PacketSource&) = delete;

  enum class Next { kPacket, kTimeout, kEnd, kError };
  // The next packet; `hdr` and `data` stay valid until the following call.
  Next next(const pcap_pkthdr*& hdr, const uint8_t*& data);

  int datalink() const { return datalink_; }
  bool live() const { return live_; }
  std::string error() const;
  std::string description() const { return description_; }
  CaptureCounters counters() const;
  // Bytes of the input file consumed so far, and its total size (0 when
  // unknown: stdin, live); for progress reporting.
  uint64_t file_position() const;
  uint64_t file_size() const { return file_size_; }
  // Safe from a signal handler: makes next() return kEnd soon.
  void break_loop();

 private:
  PacketSource() = default;
  pcap* handle_ = nullptr;
  int datalink_ = 0;
  bool live_ = false;
  // Live: the handle is non-blocking and next() waits on this descriptor for
  // at most wait_ms_, so that an idle link still yields kTimeout (libpcap's
  // TPACKET_V3 read blocks until a packet arrives, which would stop the
  // periodic stats record -- the heartbeat -- on a quiet interface).
  int fd_ = -1;
  int wait_ms_ = 100;
  uint64_t file_size_ = 0;
  std::string description_;
};

}  // namespace nsm4
