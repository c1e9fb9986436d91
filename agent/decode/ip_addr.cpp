#include "decode/ip_addr.h"

#include <arpa/inet.h>

#include <cstdio>

namespace nsm4 {

std::string IpAddr::to_string() const {
  char buf[48];
  if (version == 4) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", bytes[0], bytes[1], bytes[2], bytes[3]);
    return buf;
  }
  if (version != 6) return "";
  char* o = buf;
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 16; i += 2) {
    if (i) *o++ = ':';
    *o++ = kHex[bytes[i] >> 4];
    *o++ = kHex[bytes[i] & 15];
    *o++ = kHex[bytes[i + 1] >> 4];
    *o++ = kHex[bytes[i + 1] & 15];
  }
  return std::string(buf, o);
}

std::string IpAddr::to_compact_string() const {
  char buf[INET6_ADDRSTRLEN];
  if (version == 4) return to_string();
  if (version != 6) return "";
  inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
  return buf;
}

}  // namespace nsm4
