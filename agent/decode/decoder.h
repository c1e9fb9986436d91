#pragma once
// The decoder table: every protocol decoder is one function in its own file
// (ethernet.cpp, ipv4.cpp, ...) and one row of kDecoders in decoder_table.cpp.
// A decoder knows only its own header: it fills its fields of Packet, records
// anomalies, and hands the rest on with decode_ethertype / decode_ip_proto /
// decode_layer.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "decode/events.h"
#include "decode/packet.h"

namespace nsm4 {

enum class ChecksumMode : uint8_t { kOff, kOn, kAuto };

struct DecodeConfig {
  ChecksumMode checksum = ChecksumMode::kOff;
  int max_layers = 16;        // decoder recursion bound (tunnels in tunnels)
  int max_ipv6_exthdrs = 16;  // longer chains raise IPV6_EXTHDR_CHAIN_TOO_LONG and stop
  bool vxlan = true;
  uint16_t vxlan_port = 4789;
  bool geneve = true;
  uint16_t geneve_port = 6081;
  bool teredo = true;
  uint16_t teredo_port = 3544;
};

struct DecodeStats {
  uint64_t pkts = 0;
  uint64_t bytes = 0;
  uint64_t invalid = 0;
  uint64_t ipv4 = 0;  // packets whose innermost IP is v4
  uint64_t ipv6 = 0;
  uint64_t bytes_ipv4 = 0;
  uint64_t bytes_ipv6 = 0;
  uint64_t too_many_layers = 0;
  std::array<uint64_t, static_cast<size_t>(Layer::kCount)> layers{};  // headers decoded per layer
  std::array<uint64_t, kDecodeEventCount> events{};

  void merge(const DecodeStats& o);
};

// Per-worker decoding state. Not shared between threads.
class DecodeContext {
 public:
  explicit DecodeContext(const DecodeConfig& cfg = {}) : config_(cfg) {}
  const DecodeConfig& config() const { return config_; }
  DecodeStats& stats() { return stats_; }
  const DecodeStats& stats() const { return stats_; }

  // Whether checksums are to be validated now (auto mode decides from the
  // first packets whether the capture has offloaded, i.e. bogus, checksums).
  bool validate_checksums() const { return checksum_active_; }
  void note_checksum_result(bool valid);

  // Recursion guard used by decode_layer.
  int depth = 0;
  // Tunnel depth at the last decode_layer call (to find the inner frame start).
  uint8_t inner_mark = 0;

 private:
  DecodeConfig config_;
  DecodeStats stats_;
  bool checksum_active_ = config_.checksum != ChecksumMode::kOff;
  uint32_t checksum_seen_ = 0;
  uint32_t checksum_bad_ = 0;
};

using DecodeFn = void (*)(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);

struct DecoderInfo {
  Layer layer;
  std::string_view name;
  DecodeFn fn;
  std::span<const int> datalinks;        // pcap DLT values this decoder starts
  std::span<const uint16_t> ethertypes;  // ethertypes it handles
  std::span<const uint8_t> ip_protos;    // IP protocol numbers it handles
};

// The complete table, in Layer order.
std::span<const DecoderInfo> decoder_table();
const DecoderInfo& decoder_for(Layer l);
std::string_view layer_name(Layer l);

// The first decoder for a pcap link type, or nullopt when unsupported.
std::optional<Layer> layer_for_datalink(int dlt);

// Decode a whole captured frame (p.data, p.caplen, p.datalink must be set).
// Never reads outside [data, data+caplen). On return p.invalid tells whether a
// layer failed; p.events lists the anomalies.
void decode_packet(DecodeContext& ctx, Packet& p);

// Hand-on helpers for decoders.
void decode_layer(DecodeContext& ctx, Packet& p, Layer l, const uint8_t* data, uint32_t len);
void decode_ethertype(DecodeContext& ctx, Packet& p, uint16_t ethertype, const uint8_t* data,
                      uint32_t len);
void decode_ip_proto(DecodeContext& ctx, Packet& p, uint8_t proto, const uint8_t* data,
                     uint32_t len);

// Records an anomaly on the packet and in the stats.
inline void decode_event(DecodeContext& ctx, Packet& p, DecodeEvent e) {
  p.add_event(e);
  ++ctx.stats().events[static_cast<size_t>(e)];
}
// Records an anomaly and marks the packet undecodable.
inline void decode_fail(DecodeContext& ctx, Packet& p, DecodeEvent e) {
  decode_event(ctx, p, e);
  p.invalid = true;
}

// Big-endian reads; callers check bounds first.
inline uint16_t rd16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] << 8 | p[1]);
}
inline uint32_t rd32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 |
         static_cast<uint32_t>(p[2]) << 8 | p[3];
}

}  // namespace nsm4
