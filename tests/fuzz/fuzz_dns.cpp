// libFuzzer target for the DNS parsers (UDP and TCP), their EVE output and
// transaction buffers.
//
// Input format (tests/fuzz/make_corpus.py --dns writes seeds in it):
//   byte 0          bit 0: TCP (length-prefixed stream) instead of UDP datagrams;
//                   bit 1: EVE version 2 instead of 3
//   then records    [ctl][len_hi][len_lo][len bytes]  (the last one may be short)
//                   ctl bit 0: to client; bit 1: a gap before these bytes
// Every input starts from fresh state, so a crash replays from its file alone.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "app/dns/dns_parser.h"

namespace {

constexpr size_t kMaxRecords = 256;

void inspect(nsm4::app::AppParser& p) {
  using nsm4::detect::BufferId;
  for (size_t i = 0; i < p.tx_count(); ++i) {
    nsm4::app::AppTx& tx = p.tx_at(i);
    for (int dir = 0; dir < 2; ++dir) {
      for (uint32_t k = 0; k < 8; ++k) {
        auto q = tx.get(BufferId::kDnsQuery, dir, k);
        auto a = tx.get(BufferId::kDnsAnswerName, dir, k);
        if (q.present && q.len > 0 && q.data[q.len - 1] == 0xff) return;  // touch the bytes
        if (a.present && a.len > 0 && a.data[0] == 0xff) return;
      }
      int64_t v = 0;
      (void)tx.get_int(nsm4::detect::TxInt::kDnsOpcode, dir, v);
      (void)tx.get_int(nsm4::detect::TxInt::kDnsRcode, dir, v);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  nsm4::app::dns::DnsConfig cfg;
  cfg.version = (data[0] & 2) != 0 ? 2 : 3;
  cfg.max_txs = 16;
  auto parser = (data[0] & 1) != 0 ? nsm4::app::dns::make_tcp_parser(cfg)
                                   : nsm4::app::dns::make_udp_parser(cfg);
  std::vector<nsm4::app::AppLog> logs;
  std::vector<nsm4::app::AppEvent> events;
  size_t pos = 1;
  for (size_t n = 0; pos < size && n < kMaxRecords; ++n) {
    const uint8_t ctl = data[pos++];
    size_t len = size - pos;
    if (pos + 2 <= size) {
      len = static_cast<size_t>(data[pos] << 8 | data[pos + 1]);
      pos += 2;
    }
    if (len > size - pos) len = size - pos;
    const auto dir = (ctl & 1) != 0 ? nsm4::app::Dir::kToClient : nsm4::app::Dir::kToServer;
    if ((ctl & 2) != 0) parser->gap(dir, 1);
    parser->parse(dir, std::span(data + pos, len), nsm4::Timestamp{});
    pos += len;
    inspect(*parser);
    parser->take_logs(logs, false);
    parser->take_events(events);
    parser->prune();
    logs.clear();
    events.clear();
  }
  parser->eof(nsm4::app::Dir::kToServer);
  parser->take_logs(logs, true);
  (void)parser->memory();
  return 0;
}
