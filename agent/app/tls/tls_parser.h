#pragma once
// The TLS application-layer parser: one transaction per connection holding
// the handshake (client hello, server hello, certificates), the source of the
// tls.* / ja3.* / ja4.* buffers and of the EVE "tls" record.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/app_parser.h"
#include "app/tls/tls_cert.h"
#include "app/tls/tls_hello.h"
#include "app/tls/tls_records.h"

namespace nsm4::app::tls {

struct TlsConfig {
  uint32_t max_record = 16384 + 2048;  // record body bytes (RFC 8446 ciphertext limit)
  uint32_t max_handshake = 64 * 1024;  // one handshake message
  uint32_t max_certs = 10;             // certificates walked per Certificate message
  bool ja3 = true;
  bool ja4 = true;
  // Suricata's custom fields client_handshake / server_handshake.
  bool log_client_handshake = true;
  bool log_server_handshake = true;
};

// Limits hit and anomalies, for the stats.
struct TlsStats {
  uint64_t records = 0;
  uint64_t record_too_long = 0;
  uint64_t handshake_too_long = 0;
  uint64_t certs_truncated = 0;
  uint64_t events = 0;
};

class TlsTx : public AppTx {
 public:
  detect::BufferView get(detect::BufferId id, int dir, uint32_t index) const override;
  bool get_int(detect::TxInt field, int dir, int64_t& out) const override;

  // The version the server negotiated, else the client's; 0 when neither is known.
  uint16_t version() const;

  bool has_client_hello = false;
  ClientHello client_hello;
  uint16_t sslv2_client_version = 0;  // an SSLv2-format client hello
  std::string ja3, ja3_hash, ja4;

  bool has_server_hello = false;
  ServerHello server_hello;
  uint16_t server_version = 0;  // negotiated (supported_versions for TLS 1.3)
  std::string ja3s, ja3s_hash;
  bool session_resumed = false;

  CertInfo server_cert;
  CertInfo client_cert;
};

class TlsParser : public AppParser {
 public:
  explicit TlsParser(const TlsConfig& cfg);
  uint8_t proto() const override { return kProtoTls; }
  void parse(Dir dir, std::span<const uint8_t> data, Timestamp ts) override;
  void gap(Dir dir, uint32_t len) override;
  void eof(Dir dir) override;
  size_t tx_count() const override { return has_tx_ ? 1 : 0; }
  AppTx& tx_at(size_t i) override;
  void take_logs(std::vector<AppLog>& out, bool flow_end) override;
  // An alert on the handshake carries what the tls record holds so far
  // (Suricata's alerts write the extended tls fields).
  std::string alert_metadata(const AppTx& tx) const override;
  void take_events(std::vector<AppEvent>& out) override;
  void prune() override {}
  size_t memory() const override;

  const TlsTx& tx() const { return tx_; }
  const TlsStats& stats() const { return stats_; }

 private:
  struct Side {
    explicit Side(const TlsConfig& cfg) : framer(cfg.max_record), hs(cfg.max_handshake) {}
    RecordFramer framer;
    HandshakeAssembler hs;
    bool failed = false;     // framing lost: the rest of this direction is ignored
    bool encrypted = false;  // after ChangeCipherSpec / encrypted data: records only counted
  };

  void on_record(Dir dir, const Record& rec);
  void on_sslv2(Dir dir, const Record& rec);
  void on_handshake(Dir dir, uint8_t type, std::span<const uint8_t> body);
  void on_client_hello(std::span<const uint8_t> body);
  void on_server_hello(std::span<const uint8_t> body);
  void on_heartbeat(Dir dir, const Record& rec);
  void server_done();
  void raise(std::string_view name, Dir dir);
  bool loggable() const;

  TlsConfig cfg_;
  Side sides_[2];
  TlsTx tx_;
  bool has_tx_ = false;
  bool logged_ = false;
  bool hb_inflight_ = false;  // a heartbeat request waits for its response
  uint32_t hb_record_len_ = 0;
  std::vector<std::string_view> scratch_events_;
  std::vector<AppEvent> events_;
  TlsStats stats_;
};

std::unique_ptr<AppParser> make_parser(const TlsConfig& cfg);

}  // namespace nsm4::app::tls
