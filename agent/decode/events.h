#pragma once
// Decoder anomalies: one enum value per reason, listed once in events.def.
#include <cstdint>
#include <string_view>

namespace nsm4 {

enum class DecodeEvent : uint16_t {
#define X(id, name) id,
#include "decode/events.def"
#undef X
  kCount
};

inline constexpr size_t kDecodeEventCount = static_cast<size_t>(DecodeEvent::kCount);

// "decoder.ipv4.trunc_pkt" and so on.
std::string_view decode_event_name(DecodeEvent e);

}  // namespace nsm4
