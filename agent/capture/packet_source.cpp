#include "capture/packet_source.h"

#include <pcap/pcap.h>
#include <poll.h>
#include <sys/stat.h>

#include <cstdio>

#include "decode/decoder.h"

namespace nsm4 {

namespace {

std::unique_ptr<PacketSource> fail(CaptureError& err, CaptureErrorKind kind, std::string msg) {
  err.kind = kind;
  err.message = std::move(msg);
  return nullptr;
}

}  // namespace

PacketSource::~PacketSource() {
  if (handle_) pcap_close(handle_);
}

std::unique_ptr<PacketSource> PacketSource::open(const CaptureOptions& opts, CaptureError& err) {
  std::unique_ptr<PacketSource> src(new PacketSource());
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  if (!opts.file.empty()) {
    if (opts.file == "-") {
      src->handle_ =
          pcap_fopen_offline_with_tstamp_precision(stdin, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
      src->description_ = "stdin";
    } else {
      struct stat st {};
      if (::stat(opts.file.c_str(), &st) != 0)
        return fail(err, CaptureErrorKind::kOpen, opts.file + ": no such file");
      if (S_ISDIR(st.st_mode))
        return fail(err, CaptureErrorKind::kOpen, opts.file + ": is a directory, not a capture");
      src->file_size_ = static_cast<uint64_t>(st.st_size);
      src->handle_ = pcap_open_offline_with_tstamp_precision(opts.file.c_str(),
                                                             PCAP_TSTAMP_PRECISION_MICRO, errbuf);
      src->description_ = opts.file;
    }
    if (!src->handle_)
      return fail(err, CaptureErrorKind::kOpen,
                  (opts.file == "-" ? std::string("stdin") : opts.file) + ": " + errbuf);
  } else if (!opts.iface.empty()) {
    src->live_ = true;
    src->description_ = opts.iface;
    src->handle_ = pcap_create(opts.iface.c_str(), errbuf);
    if (!src->handle_) return fail(err, CaptureErrorKind::kOpen, opts.iface + ": " + errbuf);
    pcap_set_snaplen(src->handle_, opts.snaplen);
    pcap_set_promisc(src->handle_, opts.promisc ? 1 : 0);
    pcap_set_timeout(src->handle_, opts.timeout_ms);
    if (opts.buffer_size > 0) pcap_set_buffer_size(src->handle_, opts.buffer_size);
    pcap_set_tstamp_precision(src->handle_, PCAP_TSTAMP_PRECISION_MICRO);
    int rc = pcap_activate(src->handle_);
    if (rc < 0) {
      std::string why = rc == PCAP_ERROR_NO_SUCH_DEVICE ? "no such interface"
                        : rc == PCAP_ERROR_PERM_DENIED
                            ? "permission denied (capture needs root or CAP_NET_RAW)"
                            : pcap_geterr(src->handle_);
      if (rc == PCAP_ERROR && why.empty()) why = pcap_statustostr(rc);
      return fail(err, CaptureErrorKind::kOpen, opts.iface + ": " + why);
    }
    src->wait_ms_ = opts.timeout_ms > 0 ? opts.timeout_ms : 100;
    if (pcap_setnonblock(src->handle_, 1, errbuf) == 0)
      src->fd_ = pcap_get_selectable_fd(src->handle_);
  } else {
    return fail(err, CaptureErrorKind::kOpen, "no input: give -r FILE or -i IFACE");
  }

  src->datalink_ = pcap_datalink(src->handle_);
  if (!layer_for_datalink(src->datalink_)) {
    const char* name = pcap_datalink_val_to_name(src->datalink_);
    return fail(err, CaptureErrorKind::kLinkType,
                src->description_ + ": unsupported link type " + std::to_string(src->datalink_) +
                    (name ? std::string(" (") + name + ")" : std::string()));
  }

  if (!opts.bpf.empty()) {
    bpf_program prog{};
    if (pcap_compile(src->handle_, &prog, opts.bpf.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
      return fail(err, CaptureErrorKind::kFilter,
                  "bad BPF filter '" + opts.bpf + "': " + pcap_geterr(src->handle_));
    int rc = pcap_setfilter(src->handle_, &prog);
    pcap_freecode(&prog);
    if (rc != 0)
      return fail(err, CaptureErrorKind::kFilter,
                  "cannot apply BPF filter: " + std::string(pcap_geterr(src->handle_)));
  }
  return src;
}

PacketSource::Next PacketSource::next(const pcap_pkthdr*& hdr, const uint8_t*& data) {
  pcap_pkthdr* h = nullptr;
  const u_char* d = nullptr;
  int rc = pcap_next_ex(handle_, &h, &d);
  if (rc == 0 && fd_ >= 0) {
    // Nothing buffered: wait for the kernel, bounded (a signal cuts it short).
    pollfd p{fd_, POLLIN, 0};
    ::poll(&p, 1, wait_ms_);
    rc = pcap_next_ex(handle_, &h, &d);
  }
  if (rc == 1) {
    hdr = h;
    data = d;
    return Next::kPacket;
  }
  if (rc == 0) return Next::kTimeout;
  if (rc == PCAP_ERROR_BREAK) return Next::kEnd;
  return Next::kError;
}

std::string PacketSource::error() const {
  return handle_ ? pcap_geterr(handle_) : "";
}

CaptureCounters PacketSource::counters() const {
  CaptureCounters c;
  if (!live_ || !handle_) return c;
  pcap_stat st{};
  if (pcap_stats(handle_, &st) == 0) {
    c.kernel_packets = st.ps_recv;
    c.kernel_drops = st.ps_drop;
    c.kernel_ifdrops = st.ps_ifdrop;
  }
  return c;
}

uint64_t PacketSource::file_position() const {
  if (live_ || !handle_ || file_size_ == 0) return 0;
  FILE* f = pcap_file(handle_);
  if (!f) return 0;
  long pos = std::ftell(f);
  return pos > 0 ? static_cast<uint64_t>(pos) : 0;
}

void PacketSource::break_loop() {
  if (handle_) pcap_breakloop(handle_);
}

}  // namespace nsm4
