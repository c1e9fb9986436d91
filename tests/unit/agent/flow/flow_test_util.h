#pragma once
// Hand-built packets and a recorder of ended flows, for the flow tests.
#include <arpa/inet.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "decode/packet.h"
#include "flow/flow.h"

namespace nsm4::testing {

inline IpAddr ip(const char* s) {
  uint8_t b[16];
  if (inet_pton(AF_INET, s, b) == 1) return IpAddr::v4(b);
  if (inet_pton(AF_INET6, s, b) == 1) return IpAddr::v6(b);
  throw std::invalid_argument(s);
}

inline Timestamp ts(int64_t sec, int32_t usec = 0) {
  return Timestamp{sec, usec};
}

inline Packet ip_packet(const char* src, const char* dst, uint8_t proto, Timestamp t,
                        uint32_t wirelen) {
  Packet p;
  p.ts = t;
  p.wirelen = wirelen;
  p.caplen = wirelen;
  p.src = ip(src);
  p.dst = ip(dst);
  p.ip_version = p.src.version;
  p.ip_proto = proto;
  return p;
}

inline Packet udp(const char* src, uint16_t sport, const char* dst, uint16_t dport, Timestamp t,
                  uint32_t wirelen = 100) {
  Packet p = ip_packet(src, dst, 17, t, wirelen);
  p.l4 = Layer::kUdp;
  p.sport = sport;
  p.dport = dport;
  return p;
}

inline Packet tcp(const char* src, uint16_t sport, const char* dst, uint16_t dport, uint8_t flags,
                  uint32_t seq, uint32_t ack, Timestamp t, uint32_t payload_len = 0) {
  Packet p = ip_packet(src, dst, 6, t, 54 + payload_len);
  p.l4 = Layer::kTcp;
  p.sport = sport;
  p.dport = dport;
  p.tcp_flags = flags;
  p.tcp_seq = seq;
  p.tcp_ack = ack;
  p.payload_len = payload_len;
  return p;
}

inline Packet icmp(const char* src, const char* dst, uint8_t type, uint8_t code, Timestamp t,
                   uint16_t id = 1) {
  Packet p = ip_packet(src, dst, 0, t, 98);
  bool v6 = p.ip_version == 6;
  p.ip_proto = v6 ? 58 : 1;
  p.l4 = v6 ? Layer::kIcmpv6 : Layer::kIcmpv4;
  p.icmp_type = type;
  p.icmp_code = code;
  p.icmp_id = id;
  return p;
}

// A TCP conversation with consistent sequence numbers: each segment from one
// side advances that side's sequence by its payload (+1 for SYN and FIN) and
// acknowledges everything the other side sent so far.
struct TcpConv {
  const char* client = "10.0.0.1";
  const char* server = "10.0.0.2";
  uint16_t cport = 40000;
  uint16_t sport = 80;
  uint32_t cseq = 1000;
  uint32_t sseq = 50000;
  int64_t sec = 100;

  Packet from_client(uint8_t flags, uint32_t len = 0) {
    Packet p = tcp(client, cport, server, sport, flags, cseq, flags & kTcpAck ? sseq : 0,
                   ts(sec, usec_++), len);
    cseq += len + ((flags & (kTcpSyn | kTcpFin)) ? 1 : 0);
    return p;
  }
  Packet from_server(uint8_t flags, uint32_t len = 0) {
    Packet p = tcp(server, sport, client, cport, flags, sseq, flags & kTcpAck ? cseq : 0,
                   ts(sec, usec_++), len);
    sseq += len + ((flags & (kTcpSyn | kTcpFin)) ? 1 : 0);
    return p;
  }

 private:
  int32_t usec_ = 0;
};

struct Ended {
  Flow flow;
  FlowEndReason reason;
};

// Collects the flows a FlowTable ends.
struct Recorder {
  std::vector<Ended> ended;
  auto fn() {
    return [this](const Flow& f, FlowEndReason r) { ended.push_back({f, r}); };
  }
};

}  // namespace nsm4::testing
