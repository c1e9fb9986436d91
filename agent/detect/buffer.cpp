#include "detect/buffer.h"

#include <array>

namespace nsm4::detect {

namespace {

BufferView payload(const Packet& p, const Flow*) {
  return {p.payload, p.payload_len, p.ip_version != 0};
}

BufferView ip_header(const Packet& p, int version) {
  if (p.ip_version != version || !p.ip_hdr) return {};
  return {p.ip_hdr, p.ip_hdr_len, true};
}

BufferView l4_header(const Packet& p, Layer l) {
  if (p.l4 != l || !p.l4_hdr) return {};
  return {p.l4_hdr, p.l4_hdr_len, true};
}

// ICMP headers are 8 bytes (type, code, checksum and 4 bytes that depend on
// the type), whatever the decoder took as its header.
BufferView icmp_header(const Packet& p, Layer l) {
  if (p.l4 != l || !p.l4_hdr) return {};
  uint32_t avail = p.l4_hdr_len + (p.payload == p.l4_hdr + p.l4_hdr_len ? p.payload_len : 0);
  uint32_t len = avail < 8 ? avail : 8;
  if (len < p.l4_hdr_len) len = p.l4_hdr_len;
  return {p.l4_hdr, len, true};
}

constexpr std::array<BufferDef, kBufferCount> kBuffers = {
    {{"pkt_data", BufferId::kPktData, "the packet payload (the default buffer)", payload},
     {"ipv4.hdr", BufferId::kIpv4Hdr, "the IPv4 header, options included",
      [](const Packet& p, const Flow*) { return ip_header(p, 4); }},
     {"ipv6.hdr", BufferId::kIpv6Hdr, "the IPv6 header and its extension headers",
      [](const Packet& p, const Flow*) { return ip_header(p, 6); }},
     {"tcp.hdr", BufferId::kTcpHdr, "the TCP header, options included",
      [](const Packet& p, const Flow*) { return l4_header(p, Layer::kTcp); }},
     {"udp.hdr", BufferId::kUdpHdr, "the UDP header",
      [](const Packet& p, const Flow*) { return l4_header(p, Layer::kUdp); }},
     {"icmpv4.hdr", BufferId::kIcmpv4Hdr, "the ICMP header",
      [](const Packet& p, const Flow*) { return icmp_header(p, Layer::kIcmpv4); }},
     {"icmpv6.hdr", BufferId::kIcmpv6Hdr, "the ICMPv6 header",
      [](const Packet& p, const Flow*) { return icmp_header(p, Layer::kIcmpv6); }},
#define NSM4_BUFFER_ROW(e, name, proto, dirs, help) \
  {name, BufferId::e, help, nullptr, app::proto, dirs},
     NSM4_APP_BUFFERS(NSM4_BUFFER_ROW)
#undef NSM4_BUFFER_ROW
    }};

}  // namespace

static_assert([] {
  for (size_t i = 0; i < kBuffers.size(); ++i)
    if (static_cast<size_t>(kBuffers[i].id) != i) return false;
  return true;
}());

const BufferDef& buffer_def(BufferId id) {
  return kBuffers[static_cast<size_t>(id)];
}

const BufferDef* find_buffer(std::string_view name) {
  for (const BufferDef& b : kBuffers)
    if (b.name == name) return &b;
  return nullptr;
}

}  // namespace nsm4::detect
