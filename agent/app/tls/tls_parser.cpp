#include "app/tls/tls_parser.h"

#include <algorithm>

#include "app/tls/tls_eve.h"
#include "app/tls/tls_fingerprint.h"

namespace nsm4::app::tls {

namespace {

enum HandshakeType : uint8_t {
  kHelloRequest = 0,
  kClientHello = 1,
  kServerHello = 2,
  kHelloVerifyRequest = 3,
  kNewSessionTicket = 4,
  kEndOfEarlyData = 5,
  kHelloRetryRequest = 6,
  kEncryptedExtensions = 8,
  kCertificate = 11,
  kServerKeyExchange = 12,
  kCertificateRequest = 13,
  kServerHelloDone = 14,
  kCertificateVerify = 15,
  kClientKeyExchange = 16,
  kFinished = 20,
  kCertificateUrl = 21,
  kCertificateStatus = 22,
  kSupplementalData = 23,
  kKeyUpdate = 24,
  kNextProtocol = 67,
};

bool known_handshake_type(uint8_t t) {
  switch (t) {
    case kHelloRequest:
    case kClientHello:
    case kServerHello:
    case kHelloVerifyRequest:
    case kNewSessionTicket:
    case kEndOfEarlyData:
    case kHelloRetryRequest:
    case kEncryptedExtensions:
    case kCertificate:
    case kServerKeyExchange:
    case kCertificateRequest:
    case kServerHelloDone:
    case kCertificateVerify:
    case kClientKeyExchange:
    case kFinished:
    case kCertificateUrl:
    case kCertificateStatus:
    case kSupplementalData:
    case kKeyUpdate:
    case kNextProtocol:
      return true;
    default:
      return false;
  }
}

constexpr uint8_t kSslv2ClientHello = 1;
constexpr uint8_t kSslv2ServerHello = 4;
constexpr uint16_t kSslv2Version = 0x0200;
constexpr size_t kMaxPendingEvents = 256;
constexpr size_t kHeartbeatMinPadding = 16;

detect::BufferView view(const std::string& s, bool present) {
  if (!present) return {};
  return {reinterpret_cast<const uint8_t*>(s.data()), static_cast<uint32_t>(s.size()), true};
}

}  // namespace

uint16_t TlsTx::version() const {
  if (server_version != 0) return server_version;
  if (has_client_hello) return client_hello.version;
  return sslv2_client_version;
}

detect::BufferView TlsTx::get(detect::BufferId id, int dir, uint32_t index) const {
  using detect::BufferId;
  if (index != 0) return {};
  bool client = dir == 0;
  switch (id) {
    case BufferId::kTlsSni:
      return view(client_hello.sni, client && has_client_hello && client_hello.has_sni);
    case BufferId::kJa3Hash:
      return view(ja3_hash, client && !ja3_hash.empty());
    case BufferId::kJa3String:
      return view(ja3, client && !ja3.empty());
    case BufferId::kJa4Hash:
      return view(ja4, client && !ja4.empty());
    case BufferId::kJa3sHash:
      return view(ja3s_hash, !client && !ja3s_hash.empty());
    case BufferId::kJa3sString:
      return view(ja3s, !client && !ja3s.empty());
    case BufferId::kTlsCertSubject:
      return view(server_cert.subject, !client && server_cert.present);
    case BufferId::kTlsCertIssuer:
      return view(server_cert.issuer, !client && server_cert.present);
    case BufferId::kTlsCertSerial:
      return view(server_cert.serial, !client && server_cert.present);
    case BufferId::kTlsCertFingerprint:
      return view(server_cert.fingerprint, !client && server_cert.present);
    default:
      return {};
  }
}

bool TlsTx::get_int(detect::TxInt field, int dir, int64_t& out) const {
  (void)dir;
  if (field != detect::TxInt::kTlsVersion) return false;
  uint16_t v = version();
  if (v == 0) return false;
  out = v;
  return true;
}

TlsParser::TlsParser(const TlsConfig& cfg) : cfg_(cfg), sides_{Side(cfg), Side(cfg)} {}

AppTx& TlsParser::tx_at(size_t i) {
  (void)i;
  return tx_;
}

void TlsParser::raise(std::string_view name, Dir dir) {
  ++stats_.events;
  if (events_.size() < kMaxPendingEvents) events_.push_back(AppEvent{name, dir, 0});
}

void TlsParser::take_events(std::vector<AppEvent>& out) {
  out.insert(out.end(), events_.begin(), events_.end());
  events_.clear();
}

void TlsParser::parse(Dir dir, std::span<const uint8_t> data, Timestamp ts) {
  (void)ts;
  Side& side = sides_[static_cast<int>(dir)];
  while (!side.failed && !data.empty()) {
    Record rec;
    std::string_view event;
    FrameStatus st = side.framer.next(data, rec, event);
    if (st == FrameStatus::kNeedMore) break;
    if (st == FrameStatus::kError) {
      if (event == "INVALID_RECORD_LENGTH") ++stats_.record_too_long;
      raise(event, dir);
      side.failed = true;
      tx_.complete[static_cast<int>(dir)] = true;
      if (dir == Dir::kToClient) server_done();
      break;
    }
    ++stats_.records;
    has_tx_ = true;
    on_record(dir, rec);
  }
}

void TlsParser::on_record(Dir dir, const Record& rec) {
  Side& side = sides_[static_cast<int>(dir)];
  if (rec.sslv2) {
    on_sslv2(dir, rec);
    return;
  }
  switch (rec.type) {
    case kHandshake: {
      if (side.encrypted) return;  // Finished and later: encrypted, counted only
      side.hs.add(rec.body);
      uint8_t type = 0;
      std::span<const uint8_t> body;
      std::string_view event;
      FrameStatus st = FrameStatus::kNeedMore;
      while (!side.encrypted && (st = side.hs.next(type, body, event)) == FrameStatus::kRecord)
        on_handshake(dir, type, body);
      if (!side.encrypted && st == FrameStatus::kError) {
        ++stats_.handshake_too_long;
        raise(event, dir);
        side.encrypted = true;  // the handshake cannot be followed any more
      }
      if (side.encrypted) side.hs.clear();
      break;
    }
    case kChangeCipherSpec:
      side.encrypted = true;
      side.hs.clear();
      tx_.complete[static_cast<int>(dir)] = true;
      if (dir == Dir::kToClient) server_done();
      break;
    case kApplicationData:
      // Encrypted data: this side's handshake is over. (Only this side: a
      // TLS 1.3 client may send early data before the server's hello.)
      side.encrypted = true;
      side.hs.clear();
      tx_.complete[static_cast<int>(dir)] = true;
      if (dir == Dir::kToClient) server_done();
      break;
    case kHeartbeat:
      on_heartbeat(dir, rec);
      break;
    default:  // kAlert: nothing to extract
      break;
  }
}

void TlsParser::on_sslv2(Dir dir, const Record& rec) {
  if (dir == Dir::kToServer && rec.type == kSslv2ClientHello) {
    if (tx_.sslv2_client_version != 0 || tx_.has_client_hello) return;
    tx_.sslv2_client_version = rec.version;
    tx_.complete[0] = true;
    ++tx_.revision;
  } else if (dir == Dir::kToClient && rec.type == kSslv2ServerHello) {
    if (tx_.server_version == 0) tx_.server_version = kSslv2Version;
    ++tx_.revision;
    server_done();
  }
}

void TlsParser::on_heartbeat(Dir dir, const Record& rec) {
  raise("HEARTBEAT_MESSAGE", dir);
  if (rec.body.size() < 3) return;
  bool encrypted = sides_[0].encrypted || sides_[1].encrypted;
  uint8_t type = rec.body[0];
  if (!encrypted && type != 1 && type != 2) {
    raise("INVALID_HEARTBEAT_MESSAGE", dir);
    return;
  }
  if (!hb_inflight_) {
    hb_inflight_ = true;
    if (encrypted) {
      hb_record_len_ = rec.length;
      return;
    }
    uint32_t payload = static_cast<uint32_t>(rec.body[1] << 8 | rec.body[2]);
    if (payload + 3 > rec.length) {
      raise("OVERFLOW_HEARTBEAT_MESSAGE", dir);
    } else if (rec.length - payload - 3 < kHeartbeatMinPadding) {
      raise("INVALID_HEARTBEAT_MESSAGE", dir);
    }
  } else {
    if (hb_record_len_ > 0 && hb_record_len_ != rec.length)
      raise("DATALEAK_HEARTBEAT_MISMATCH", dir);
    hb_record_len_ = 0;
    hb_inflight_ = false;
  }
}

void TlsParser::on_handshake(Dir dir, uint8_t type, std::span<const uint8_t> body) {
  if (!known_handshake_type(type)) {
    raise("INVALID_HANDSHAKE_MESSAGE", dir);
    return;
  }
  scratch_events_.clear();
  if (dir == Dir::kToServer) {
    if (type == kClientHello) {
      on_client_hello(body);
    } else if (type == kCertificate && !tx_.client_cert.present) {
      parse_certificate_message(body, cfg_.max_certs, tx_.client_cert, scratch_events_);
      if (tx_.client_cert.chain_truncated) ++stats_.certs_truncated;
      ++tx_.revision;
    } else if (type == kServerHello || type == kServerHelloDone || type == kServerKeyExchange) {
      raise("INVALID_HANDSHAKE_MESSAGE", dir);
    }
  } else {
    if (type == kServerHello) {
      on_server_hello(body);
    } else if (type == kCertificate) {
      if (!tx_.server_cert.present) {
        parse_certificate_message(body, cfg_.max_certs, tx_.server_cert, scratch_events_);
        if (tx_.server_cert.chain_truncated) ++stats_.certs_truncated;
        ++tx_.revision;
      }
      server_done();
    } else if (type == kServerHelloDone) {
      server_done();
    } else if (type == kClientHello || type == kClientKeyExchange) {
      raise("INVALID_HANDSHAKE_MESSAGE", dir);
    }
  }
  for (auto e : scratch_events_) raise(e, dir);
}

void TlsParser::on_client_hello(std::span<const uint8_t> body) {
  if (tx_.has_client_hello) return;  // a second hello (after HelloRetryRequest) keeps the first
  parse_client_hello(body, tx_.client_hello, scratch_events_);
  tx_.has_client_hello = true;
  if (cfg_.ja3) {
    tx_.ja3 = ja3_string(tx_.client_hello);
    tx_.ja3_hash = md5_hex(tx_.ja3);
  }
  if (cfg_.ja4) tx_.ja4 = ja4(tx_.client_hello);
  tx_.complete[0] = true;
  ++tx_.revision;
}

void TlsParser::on_server_hello(std::span<const uint8_t> body) {
  if (tx_.has_server_hello) return;
  bool ok = parse_server_hello(body, tx_.server_hello, scratch_events_);
  tx_.has_server_hello = true;
  tx_.server_version = negotiated_version(tx_.server_hello);
  if (cfg_.ja3 && ok) {
    tx_.ja3s = ja3s_string(tx_.server_hello);
    tx_.ja3s_hash = md5_hex(tx_.ja3s);
  }
  const auto& csid = tx_.client_hello.session_id;
  if (tx_.has_client_hello && !csid.empty() && csid == tx_.server_hello.session_id)
    tx_.session_resumed = true;
  ++tx_.revision;
  if (is_tls13_family(tx_.server_version)) {
    // Everything the server sends after its hello is encrypted.
    sides_[1].encrypted = true;
    server_done();
  }
}

void TlsParser::server_done() {
  tx_.complete[1] = true;
}

void TlsParser::gap(Dir dir, uint32_t len) {
  (void)len;
  // Record framing cannot be recovered after lost bytes.
  Side& side = sides_[static_cast<int>(dir)];
  side.failed = true;
  tx_.complete[static_cast<int>(dir)] = true;
  if (dir == Dir::kToClient) server_done();
}

void TlsParser::eof(Dir dir) {
  tx_.complete[static_cast<int>(dir)] = true;
  if (dir == Dir::kToClient) server_done();
}

// Something worth a tls record: either hello (also in SSLv2 format).
bool TlsParser::loggable() const {
  return tx_.has_client_hello || tx_.has_server_hello || tx_.version() != 0;
}

// Logged once the server's part of the handshake is readable (hello and, up
// to TLS 1.2, the certificate or ServerHelloDone; or encryption started), else
// when the flow ends.
void TlsParser::take_logs(std::vector<AppLog>& out, bool flow_end) {
  if (logged_ || !has_tx_ || !loggable()) return;
  bool handshake_done = tx_.has_client_hello && tx_.has_server_hello && tx_.complete[1];
  if (!handshake_done && !flow_end) return;
  logged_ = true;
  out.push_back(AppLog{"tls", 0, false, eve_body(tx_, cfg_)});
}

std::string TlsParser::alert_metadata(const AppTx& tx) const {
  if (!has_tx_ || &tx != &tx_) return {};
  return eve_body(tx_, cfg_);
}

size_t TlsParser::memory() const {
  size_t n = sizeof(*this);
  for (const auto& s : sides_) n += s.framer.memory() + s.hs.memory();
  n += tx_.client_hello.sni.size() + tx_.ja3.size() + tx_.ja3s.size() +
       tx_.server_cert.subject.size() + tx_.server_cert.issuer.size();
  return n;
}

std::unique_ptr<AppParser> make_parser(const TlsConfig& cfg) {
  return std::make_unique<TlsParser>(cfg);
}

}  // namespace nsm4::app::tls
