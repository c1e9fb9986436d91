#include "flow/tcp_tracker.h"

#include "decode/tcp_seq.h"

namespace nsm4 {

namespace {

// Suricata's StreamTcpPacketSetState: the flow state follows the TCP state.
void set_state(Flow& f, TcpState s) {
  f.tcp_state = s;
  switch (s) {
    case TcpState::kEstablished:
    case TcpState::kFinWait1:
    case TcpState::kFinWait2:
    case TcpState::kClosing:
    case TcpState::kCloseWait:
      f.state = FlowState::kEstablished;
      break;
    case TcpState::kLastAck:
    case TcpState::kTimeWait:
    case TcpState::kClosed:
      f.state = FlowState::kClosed;
      break;
    default:
      break;
  }
}

// The most data a SYN can carry (TCP Fast Open): one maximum segment.
constexpr uint32_t kMaxSynData = 1460;

bool has(uint8_t bits, uint8_t b) {
  return (bits & b) != 0;
}

// A packet of a flow not tracked yet (Suricata's TCP_NONE handling).
void track_start(Flow& f, const Packet& p, bool toserver, const TcpTrackConfig& cfg) {
  uint8_t fl = p.tcp_flags;
  if (fl & (kTcpRst | kTcpFin)) return;  // no session from a reset or a close
  if ((fl & (kTcpSyn | kTcpAck)) == kTcpSyn) {
    if (!toserver) return;
    f.tcp_tracked = true;
    f.client_isn = p.tcp_seq;
    if (p.payload_len) f.tcp_bits |= kTcpSynData;
    set_state(f, TcpState::kSynSent);
  } else if ((fl & (kTcpSyn | kTcpAck)) == (kTcpSyn | kTcpAck)) {
    if (!(cfg.midstream || cfg.async_oneside) || toserver) return;
    f.tcp_tracked = true;
    f.tcp_bits |= kTcpMidstream;
    f.server_isn = p.tcp_seq;
    f.client_isn = p.tcp_ack - 1;
    set_state(f, TcpState::kSynRecv);
  } else if (fl & kTcpAck) {
    if (!cfg.midstream) return;
    f.tcp_tracked = true;
    f.tcp_bits |= kTcpMidstream;
    set_state(f, TcpState::kEstablished);
  }
}

void track_handshake(Flow& f, const Packet& p, bool toserver, const TcpTrackConfig& cfg) {
  uint8_t fl = p.tcp_flags;
  bool syn = fl & kTcpSyn, ack = fl & kTcpAck;
  if (f.tcp_state == TcpState::kSynSent) {
    if (syn && !ack) {
      if (toserver) {
        f.client_isn = p.tcp_seq;  // retransmitted SYN (maybe with a new ISN)
        if (p.payload_len) f.tcp_bits |= kTcpSynData;
      } else {
        f.server_isn = p.tcp_seq;  // simultaneous open
        f.tcp_bits |= kTcpFourWayHandshake;
        set_state(f, TcpState::kSynRecv);
      }
    } else if (syn && ack) {
      // With TCP Fast Open the SYN carried data and the SYN/ACK may
      // acknowledge it too.
      const uint32_t acked = p.tcp_ack - (f.client_isn + 1);
      if (!toserver && (acked == 0 || (has(f.tcp_bits, kTcpSynData) && acked <= kMaxSynData))) {
        f.server_isn = p.tcp_seq;
        set_state(f, TcpState::kSynRecv);
      }
    } else if (ack && toserver && cfg.async_oneside) {
      set_state(f, TcpState::kEstablished);  // the SYN/ACK went another way
    }
    return;
  }
  // SYN_RECV: SYN/ACK retransmits keep the state; the first plain ACK, from
  // either side (the client's ACK may be lost or travel another path),
  // completes the handshake.
  if (!syn && ack) set_state(f, TcpState::kEstablished);
}

// FIN / ACK bookkeeping, then the closing transitions.
void track_close(Flow& f, const Packet& p, bool toserver) {
  uint8_t fl = p.tcp_flags;
  if (fl & kTcpAck) {
    if (toserver && has(f.tcp_bits, kTcpServerFinSeen) && seq_geq(p.tcp_ack, f.server_fin_seq + 1))
      f.tcp_bits |= kTcpServerFinAcked;
    if (!toserver && has(f.tcp_bits, kTcpClientFinSeen) && seq_geq(p.tcp_ack, f.client_fin_seq + 1))
      f.tcp_bits |= kTcpClientFinAcked;
  }
  if (fl & kTcpFin) {
    uint32_t fin_seq = p.tcp_seq + p.payload_len;
    if (toserver && !has(f.tcp_bits, kTcpClientFinSeen)) {
      f.tcp_bits |= kTcpClientFinSeen;
      f.client_fin_seq = fin_seq;
    } else if (!toserver && !has(f.tcp_bits, kTcpServerFinSeen)) {
      f.tcp_bits |= kTcpServerFinSeen;
      f.server_fin_seq = fin_seq;
    }
  }
  const uint8_t b = f.tcp_bits;
  switch (f.tcp_state) {
    case TcpState::kEstablished:
      if (has(b, kTcpClientFinSeen)) {
        set_state(f, TcpState::kCloseWait);
      } else if (has(b, kTcpServerFinSeen)) {
        set_state(f, TcpState::kFinWait1);
      }
      break;
    case TcpState::kCloseWait:  // the client closed first
      if (has(b, kTcpServerFinSeen)) set_state(f, TcpState::kLastAck);
      break;
    case TcpState::kLastAck:
      if (has(b, kTcpServerFinAcked)) set_state(f, TcpState::kClosed);
      break;
    case TcpState::kFinWait1:  // the server closed first
      if (has(b, kTcpClientFinSeen)) {
        set_state(f, has(b, kTcpServerFinAcked) ? TcpState::kTimeWait : TcpState::kClosing);
      } else if (has(b, kTcpServerFinAcked)) {
        set_state(f, TcpState::kFinWait2);
      }
      break;
    case TcpState::kFinWait2:
      if (has(b, kTcpClientFinSeen)) set_state(f, TcpState::kTimeWait);
      break;
    case TcpState::kClosing:
      if (has(b, kTcpServerFinAcked) || has(b, kTcpClientFinAcked))
        set_state(f, TcpState::kTimeWait);
      break;
    case TcpState::kTimeWait:
      if (has(b, kTcpServerFinAcked) && has(b, kTcpClientFinAcked)) set_state(f, TcpState::kClosed);
      break;
    default:
      break;
  }
}

}  // namespace

void tcp_track(Flow& f, const Packet& p, bool toserver, const TcpTrackConfig& cfg) {
  if (p.l4 != Layer::kTcp) return;
  if (!f.tcp_tracked) {
    track_start(f, p, toserver, cfg);
    return;
  }
  if (f.tcp_state == TcpState::kClosed) return;
  if (p.tcp_flags & kTcpRst) {
    set_state(f, TcpState::kClosed);
    return;
  }
  if (f.tcp_state == TcpState::kSynSent || f.tcp_state == TcpState::kSynRecv) {
    track_handshake(f, p, toserver, cfg);
    if (f.tcp_state != TcpState::kEstablished) return;
  }
  track_close(f, p, toserver);
}

bool tcp_is_reuse(const Flow& f, const Packet& p, bool toserver) {
  if (p.l4 != Layer::kTcp || !f.tcp_tracked) return false;
  if ((p.tcp_flags & (kTcpSyn | kTcpAck | kTcpRst)) != kTcpSyn) return false;
  if (f.tcp_state != TcpState::kLastAck && f.tcp_state != TcpState::kTimeWait &&
      f.tcp_state != TcpState::kClosed)
    return false;
  return !(toserver && p.tcp_seq == f.client_isn);  // not a retransmitted SYN
}

}  // namespace nsm4
