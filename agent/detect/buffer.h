#pragma once
// The registry of inspection buffers: what `content`, `pcre`, `bsize`,
// `isdataat` and `byte_*` look at. pkt_data (the packet payload) is the
// default; sticky buffers (`ipv4.hdr; content:...`) switch the current buffer
// for the keywords that follow. App-layer buffers (http.uri, dns.query,
// tls.sni, file.data ...) are rows added here by issue 4 with a getter that
// reads the flow's app-layer state.
#include <cstdint>
#include <string_view>

#include "decode/packet.h"

namespace nsm4 {
struct Flow;
}

namespace nsm4::detect {

enum class BufferId : uint8_t {
  kPktData,
  kIpv4Hdr,
  kIpv6Hdr,
  kTcpHdr,
  kUdpHdr,
  kIcmpv4Hdr,
  kIcmpv6Hdr,
  kCount
};
inline constexpr int kBufferCount = static_cast<int>(BufferId::kCount);

struct BufferView {
  const uint8_t* data = nullptr;
  uint32_t len = 0;
  bool present = false;  // the packet has this buffer (a TCP header for tcp.hdr ...)
};

struct BufferDef {
  std::string_view name;  // the sticky-buffer keyword ("pkt_data", "tcp.hdr")
  BufferId id;
  std::string_view help;
  BufferView (*get)(const Packet& p, const Flow* f);
};

// The rows of the registry, indexed by BufferId.
const BufferDef& buffer_def(BufferId id);
// nullptr when `name` is not a sticky buffer nsm4 knows.
const BufferDef* find_buffer(std::string_view name);

}  // namespace nsm4::detect
