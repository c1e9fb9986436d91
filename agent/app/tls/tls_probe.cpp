#include "app/tls/tls_probe.h"

#include "app/tls/tls_records.h"

namespace nsm4::app::tls {

namespace {

constexpr uint32_t kMaxPlausibleRecord = 16384 + 2048;
constexpr uint8_t kClientHello = 1;
constexpr uint8_t kServerHello = 2;
constexpr uint8_t kSslv2ClientHello = 1;
constexpr uint8_t kSslv2ServerHello = 4;

Probe probe_sslv2(Dir dir, std::span<const uint8_t> data) {
  if (data.size() < 5) return Probe::kNeedMore;
  uint32_t len = static_cast<uint32_t>((data[0] & 0x7f) << 8 | data[1]);
  if (dir == Dir::kToServer) {
    // type, version (2.0, or 3.x in a v2-compatible hello)
    if (data[2] != kSslv2ClientHello || len < 9) return Probe::kNoMatch;
    bool v2 = data[3] == 0 && data[4] == 2;
    bool v3 = data[3] == 3 && data[4] <= 4;
    return v2 || v3 ? Probe::kMatch : Probe::kNoMatch;
  }
  // server hello: type, session id hit, certificate type, version 0x0002
  if (data[2] != kSslv2ServerHello || len < 10) return Probe::kNoMatch;
  if (data.size() < 7) return Probe::kNeedMore;
  return data[5] == 0 && data[6] == 2 ? Probe::kMatch : Probe::kNoMatch;
}

}  // namespace

Probe probe(Dir dir, std::span<const uint8_t> data) {
  if (data.empty()) return Probe::kNeedMore;
  if (data[0] != kHandshake) {
    if (data[0] & 0x80) return probe_sslv2(dir, data);
    return Probe::kNoMatch;
  }
  if (data.size() >= 2 && data[1] != 3) return Probe::kNoMatch;
  if (data.size() >= 3 && data[2] > 4) return Probe::kNoMatch;
  if (data.size() < kRecordHeaderLen) return Probe::kNeedMore;
  uint32_t len = static_cast<uint32_t>(data[3] << 8 | data[4]);
  if (len > kMaxPlausibleRecord) return Probe::kNoMatch;
  // Too short to hold a hello: TLS by the record header alone, as Suricata's
  // patterns (16 03 0x) see it; the parser reports the bad record.
  if (len < kHandshakeHeaderLen) return Probe::kMatch;
  if (data.size() < kRecordHeaderLen + 1) return Probe::kNeedMore;
  uint8_t want = dir == Dir::kToServer ? kClientHello : kServerHello;
  return data[5] == want ? Probe::kMatch : Probe::kNoMatch;
}

}  // namespace nsm4::app::tls
