#pragma once
// Protocol detection for DNS: does a datagram (UDP) or the start of a stream
// (TCP, 2-byte length prefix) look like a DNS message? As Suricata: the
// header counts must be plausible for the size and the body must parse.
#include <cstdint>
#include <span>

#include "app/app_proto.h"

namespace nsm4::app::dns {

// A whole datagram payload: kMatch or kNoMatch (never kNeedMore).
Probe probe_udp(Dir dir, std::span<const uint8_t> data);
// The first bytes of a stream direction: kNeedMore while the length prefix
// or the header is incomplete; a header plausible for the announced length
// is enough when the message itself is still incomplete.
Probe probe_tcp(Dir dir, std::span<const uint8_t> data);

}  // namespace nsm4::app::dns
