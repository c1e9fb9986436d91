#pragma once
// DNS over UDP (one message per datagram) and TCP (messages framed by a
// 2-byte length), as Suricata 8: every request and every response is its own
// transaction, logged as soon as it is parsed (EVE "dns" version 3, or 2).
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/app_parser.h"
#include "app/dns/dns_eve.h"
#include "app/dns/dns_message.h"
#include "app/dns/dns_tx.h"

namespace nsm4::app::dns {

struct DnsConfig {
  int version = 3;  // EVE format: 3 (Suricata 8) or 2 (the older query/answer records)
  bool log_requests = true;
  bool log_responses = true;
  EveOptions eve;          // answers detail/grouped, records per section
  uint32_t max_txs = 256;  // transactions held; beyond, the oldest are dropped (counted)
  ParseLimits limits;      // name length and label count
};

// App-layer event names (EVE anomaly.event, app-layer-event:dns.<name>).
inline constexpr std::string_view kEventMalformedData = "malformed_data";
inline constexpr std::string_view kEventNotRequest = "not_a_request";
inline constexpr std::string_view kEventNotResponse = "not_a_response";
inline constexpr std::string_view kEventZFlagSet = "z_flag_set";
inline constexpr std::string_view kEventInvalidOpcode = "invalid_opcode";
inline constexpr std::string_view kEventNameTooLong = "name_too_long";
inline constexpr std::string_view kEventInfiniteLoop = "infinite_loop";
inline constexpr std::string_view kEventTooManyLabels = "too_many_labels";
inline constexpr std::string_view kEventInvalidAdditionals = "invalid_additionals";
inline constexpr std::string_view kEventInvalidAuthorities = "invalid_authorities";
inline constexpr std::string_view kDnsEventNames[] = {
    kEventMalformedData,      kEventNotRequest,        kEventNotResponse,  kEventZFlagSet,
    kEventInvalidOpcode,      kEventNameTooLong,       kEventInfiniteLoop, kEventTooManyLabels,
    kEventInvalidAdditionals, kEventInvalidAuthorities};

struct DnsStats {
  uint64_t requests = 0;
  uint64_t responses = 0;
  uint64_t bad_header = 0;   // not a plausible DNS header (UDP: ignored; TCP: parsing stops)
  uint64_t malformed = 0;    // questions or answers did not parse
  uint64_t not_request = 0;  // a response sent to the server: no transaction
  uint64_t tcp_stopped = 0;  // TCP directions given up after an unusable message
  uint64_t gaps = 0;
  uint64_t gap_bytes_skipped = 0;  // bytes after a gap that did not look like DNS
  uint64_t txs_evicted = 0;        // dropped by max_txs before being logged
  uint64_t records_cut = 0;        // records not logged (EveOptions::max_records)
  uint64_t events_dropped = 0;     // an event with no live transaction to carry it
};

class DnsParser : public AppParser {
 public:
  DnsParser(const DnsConfig& config, bool tcp);
  uint8_t proto() const override { return kProtoDns; }
  void parse(Dir dir, std::span<const uint8_t> data, Timestamp ts) override;
  void gap(Dir dir, uint32_t len) override;
  void eof(Dir dir) override;
  size_t tx_count() const override { return txs_.size(); }
  AppTx& tx_at(size_t i) override { return *txs_[i]; }
  void take_logs(std::vector<AppLog>& out, bool flow_end) override;
  // The version 3 object of the message, answers detailed but not grouped
  // (what Suricata 8 puts under an alert's "dns" key), whatever `version`.
  std::string alert_metadata(const AppTx& tx) const override;
  void take_events(std::vector<AppEvent>& out) override;
  void prune() override;
  size_t memory() const override;

  const DnsStats& stats() const { return stats_; }

 private:
  // One complete message; false when it ends parsing of a TCP direction.
  bool handle(Dir dir, std::span<const uint8_t> msg);
  void parse_tcp(Dir dir, std::span<const uint8_t> data);
  void event_on_tx(const DnsTx& tx, std::string_view name);
  void event_on_last(Dir dir, std::string_view name);
  void log_tx(DnsTx& tx, std::vector<AppLog>& out);

  DnsConfig config_;
  bool tcp_;
  std::deque<std::unique_ptr<DnsTx>> txs_;
  uint64_t next_tx_id_ = 0;
  std::vector<uint8_t> buf_[2];  // TCP: an incomplete message per direction
  bool gap_[2] = {false, false};
  bool stopped_[2] = {false, false};
  std::vector<AppEvent> events_;
  DnsStats stats_;
};

std::unique_ptr<AppParser> make_udp_parser(const DnsConfig& config);
std::unique_ptr<AppParser> make_tcp_parser(const DnsConfig& config);

}  // namespace nsm4::app::dns
