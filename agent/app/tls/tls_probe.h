#pragma once
// Protocol detection for TLS: does a direction's first data look like a TLS
// (or SSLv3) record carrying the expected first handshake message?
#include <cstdint>
#include <span>

#include "app/app_proto.h"

namespace nsm4::app::tls {

// To server: a handshake record (type 22, version 0x0300..0x0304, a sane
// length) whose first message is a ClientHello, or an SSLv2-format
// ClientHello. To client: the same with a ServerHello (or an SSLv2 server
// hello).
Probe probe(Dir dir, std::span<const uint8_t> data);

}  // namespace nsm4::app::tls
