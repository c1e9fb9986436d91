#pragma once
// Declarations of every decoder function; each is defined in its own file.
#include "decode/decoder.h"

namespace nsm4 {

void decode_ethernet(DecodeContext&, Packet&, const uint8_t*, uint32_t);
void decode_vlan(DecodeContext&, Packet&, const uint8_t*, uint32_t);
void decode_sll(DecodeContext&, Packet&, const uint8_t*, uint32_t);
void decode_sll2(DecodeContext&, Packet&, const uint8_t*, uint32_t);
void decode_null(DecodeContext&, Packet&, const uint8_t*, uint32_t);
void decode_raw(DecodeContext&, Packet&, const uint8_t*, uint32_t);
void decode_ipv4(DecodeContext&, Packet&, const uint8_t*, uint32_t);
void decode_ipv6(DecodeContext&, Packet&, const uint8_t*, uint32_t);
void decode_gre(DecodeContext&, Packet&, const uint8_t*, uint32_t);
void decode_vxlan(DecodeContext&, Packet&, const uint8_t*, uint32_t);
void decode_geneve(DecodeContext&, Packet&, const uint8_t*, uint32_t);
void decode_teredo(DecodeContext&, Packet&, const uint8_t*, uint32_t);
void decode_tcp(DecodeContext&, Packet&, const uint8_t*, uint32_t);
void decode_udp(DecodeContext&, Packet&, const uint8_t*, uint32_t);
void decode_sctp(DecodeContext&, Packet&, const uint8_t*, uint32_t);
void decode_icmpv4(DecodeContext&, Packet&, const uint8_t*, uint32_t);
void decode_icmpv6(DecodeContext&, Packet&, const uint8_t*, uint32_t);

}  // namespace nsm4
