#pragma once
// Internet checksum (RFC 1071) helpers shared by the IPv4, TCP, UDP, ICMP and
// ICMPv6 decoders.
#include <cstddef>
#include <cstdint>

#include "decode/packet.h"

namespace nsm4 {

// One's-complement checksum of [data, data+len) added to `initial` (an
// unfolded 32-bit partial sum, e.g. from pseudo_header_sum_v4). Returns the
// folded, complemented 16-bit result: 0 when a buffer that already holds its
// checksum field is valid; otherwise the value to store in that field.
uint16_t inet_checksum(const uint8_t* data, size_t len, uint32_t initial = 0);

// Unfolded sum of the IPv4 pseudo header (src, dst, zero, proto, l4len),
// using p.src and p.dst (which must be IPv4).
uint32_t pseudo_header_sum_v4(const Packet& p, uint8_t proto, uint32_t l4len);

// Unfolded sum of the IPv6 pseudo header (src, dst, 32-bit upper-layer
// length, 24 zero bits, next header), using p.src and p.dst (IPv6).
uint32_t pseudo_header_sum_v6(const Packet& p, uint8_t next_header, uint32_t l4len);

}  // namespace nsm4
