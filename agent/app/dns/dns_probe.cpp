#include "app/dns/dns_probe.h"

#include "app/dns/dns_message.h"

namespace nsm4::app::dns {
namespace {

// `data` holds the first bytes of a message of `len` bytes.
Probe probe_message(std::span<const uint8_t> data, size_t len) {
  if (data.size() > len) data = data.first(len);
  Header header;
  if (!parse_header(data, header)) return data.size() < len ? Probe::kNeedMore : Probe::kNoMatch;
  if (!header_plausible(header, len)) return Probe::kNoMatch;
  if (data.size() < len) return Probe::kMatch;
  Message message;
  return parse_message(data, message) == ParseStatus::kOk ? Probe::kMatch : Probe::kNoMatch;
}

}  // namespace

Probe probe_udp(Dir dir, std::span<const uint8_t> data) {
  (void)dir;
  return probe_message(data, data.size()) == Probe::kMatch ? Probe::kMatch : Probe::kNoMatch;
}

Probe probe_tcp(Dir dir, std::span<const uint8_t> data) {
  (void)dir;
  if (data.size() < 2) return Probe::kNeedMore;
  const size_t len = static_cast<size_t>(data[0] << 8 | data[1]);
  if (len < kHeaderSize) return Probe::kNoMatch;
  return probe_message(data.subspan(2), len);
}

}  // namespace nsm4::app::dns
