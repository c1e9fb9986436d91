#pragma once
// TCP connection state per flow, with Suricata's state names and transitions
// (handshake, simultaneous open, midstream pickup, FIN close in both orders,
// reset). No reassembly here: just enough sequence tracking to tell a FIN
// was acknowledged.
#include "decode/packet.h"
#include "flow/flow.h"

namespace nsm4 {

struct TcpTrackConfig {
  bool midstream = false;      // pick up sessions whose handshake was not seen
  bool async_oneside = false;  // accept a handshake of which only one side is seen
};

// Advances f's TCP state with a TCP packet of the flow; `toserver` is the
// packet's direction relative to the flow's initiator. A flow that is not yet
// tracked starts being tracked on a SYN from the client, or (midstream on) on
// a SYN/ACK from the server or a plain ACK.
void tcp_track(Flow& f, const Packet& p, bool toserver, const TcpTrackConfig& cfg);

// Whether p is a new connection attempt (SYN) on a session that has finished,
// so the flow must end (reason tcp_reuse) and a new one start with p.
bool tcp_is_reuse(const Flow& f, const Packet& p, bool toserver);

}  // namespace nsm4
