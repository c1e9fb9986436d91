#pragma once
// Application protocols nsm4 detects and parses. The numbering is the value
// of Flow::app_proto; names are Suricata's (EVE app_proto, the
// app-layer-protocol keyword). Header-only: the detection library uses it
// too.
#include <cstdint>
#include <string_view>

namespace nsm4::app {

enum Proto : uint8_t {
  kProtoUnknown = 0,  // not detected (yet)
  kProtoHttp,         // HTTP/1.x
  kProtoTls,
  kProtoDns,
  kProtoFailed,  // detection gave up on this flow
  kProtoCount
};

inline constexpr std::string_view kProtoNames[kProtoCount] = {"", "http", "tls", "dns", "failed"};

// "http", "tls", "dns", "failed"; "" for unknown.
constexpr std::string_view proto_name(uint8_t p) {
  return p < kProtoCount ? kProtoNames[p] : std::string_view();
}
// kProtoUnknown when `name` is not one nsm4 knows ("http1" and "http" are HTTP).
constexpr uint8_t proto_from_name(std::string_view name) {
  if (name == "http1") return kProtoHttp;
  for (uint8_t i = 1; i < kProtoCount; ++i)
    if (kProtoNames[i] == name) return i;
  return kProtoUnknown;
}

// The two directions of a flow, as the parsers see them.
enum class Dir : uint8_t { kToServer = 0, kToClient = 1 };

// What a protocol's probe says about the first bytes of one direction.
enum class Probe : uint8_t {
  kNoMatch,   // not this protocol
  kNeedMore,  // could be; more bytes are needed to tell
  kMatch,
};

}  // namespace nsm4::app
