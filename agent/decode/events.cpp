#include "decode/events.h"

#include <array>

namespace nsm4 {

namespace {
constexpr std::array<std::string_view, kDecodeEventCount> kNames = {
#define X(id, name) name,
#include "decode/events.def"
#undef X
};
}  // namespace

std::string_view decode_event_name(DecodeEvent e) {
  auto i = static_cast<size_t>(e);
  return i < kNames.size() ? kNames[i] : std::string_view("decoder.unknown");
}

}  // namespace nsm4
