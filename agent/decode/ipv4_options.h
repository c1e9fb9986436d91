#pragma once
// IPv4 options (RFC 791 and later): the bits of Packet::ip_opts, their names
// for the `ipopts` rule keyword, and the option parser used by ipv4.cpp.
#include <array>
#include <cstdint>
#include <string_view>

#include "decode/decoder.h"

namespace nsm4 {

// Option type octets.
enum Ipv4OptType : uint8_t {
  kIpv4OptEol = 0,
  kIpv4OptNop = 1,
  kIpv4OptRr = 7,
  kIpv4OptQs = 25,
  kIpv4OptTs = 68,
  kIpv4OptSec = 130,
  kIpv4OptLsrr = 131,
  kIpv4OptEsec = 133,
  kIpv4OptCipso = 134,
  kIpv4OptSid = 136,
  kIpv4OptSsrr = 137,
  kIpv4OptRtralt = 148,
};

// Bits of Packet::ip_opts: which options the header carried (valid ones;
// a malformed option raises an event and sets no bit, as in Suricata).
enum Ipv4OptBits : uint16_t {
  kIpOptEol = 1 << 0,
  kIpOptNop = 1 << 1,
  kIpOptRr = 1 << 2,    // record route
  kIpOptTs = 1 << 3,    // timestamp
  kIpOptQs = 1 << 4,    // quick-start
  kIpOptLsrr = 1 << 5,  // loose source route
  kIpOptSsrr = 1 << 6,  // strict source route
  kIpOptSid = 1 << 7,   // stream identifier ("satid" in rules)
  kIpOptSec = 1 << 8,   // security (RFC 1108)
  kIpOptEsec = 1 << 9,  // extended security
  kIpOptCipso = 1 << 10,
  kIpOptRtralt = 1 << 11,  // router alert
};

// The `ipopts` keyword's names (Suricata: rr, eol, nop, ts, sec, esec, lsrr,
// ssrr, satid, any); "any" matches any bit and is not listed here.
struct Ipv4OptName {
  std::string_view name;
  uint16_t bit;
};
inline constexpr std::array<Ipv4OptName, 9> kIpv4OptNames = {{
    {"rr", kIpOptRr},
    {"eol", kIpOptEol},
    {"nop", kIpOptNop},
    {"ts", kIpOptTs},
    {"sec", kIpOptSec},
    {"esec", kIpOptEsec},
    {"lsrr", kIpOptLsrr},
    {"ssrr", kIpOptSsrr},
    {"satid", kIpOptSid},
}};

// Walks and validates the options area [opts, opts+len) the way Suricata
// does, recording anomalies (IPV4_OPT_*) on the packet. Returns the
// Ipv4OptBits seen. Never reads outside the area.
uint16_t parse_ipv4_options(DecodeContext& ctx, Packet& p, const uint8_t* opts, uint32_t len);

}  // namespace nsm4
