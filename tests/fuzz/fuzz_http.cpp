// libFuzzer target for the HTTP/1.x parser.
//
// Input format (tests/fuzz/make_corpus.py --http writes seeds in it):
//   byte 0        bit 0: small limits (tiny lines, bodies, header counts);
//                 bit 1: decompression off
//   then records  [op][len_hi][len_lo][len bytes]   (the last one may be short)
//                 op bit 0: direction (0 to server, 1 to client);
//                 op bits 1-2: 0 data, 1 gap of len bytes (no payload), 2 eof
// After each record every buffer of every transaction is read, and the logs,
// events and pruning run as the worker does.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "app/http/http_parser.h"

namespace {

using nsm4::app::Dir;

void inspect(nsm4::app::AppParser& p) {
  volatile uint32_t sink = 0;
  for (size_t i = 0; i < p.tx_count(); ++i) {
    nsm4::app::AppTx& tx = p.tx_at(i);
    for (int id = static_cast<int>(nsm4::detect::kFirstAppBuffer);
         id < static_cast<int>(nsm4::detect::BufferId::kCount); ++id) {
      for (int dir = 0; dir < 2; ++dir) {
        nsm4::detect::BufferView v = tx.get(static_cast<nsm4::detect::BufferId>(id), dir, 0);
        if (v.present && v.len > 0) sink = sink + v.data[0] + v.data[v.len - 1];
      }
    }
    int64_t n = 0;
    if (tx.get_int(nsm4::detect::TxInt::kHttpUriLen, 0, n)) sink = sink + static_cast<uint32_t>(n);
    if (tx.get_int(nsm4::detect::TxInt::kHttpStatCode, 1, n))
      sink = sink + static_cast<uint32_t>(n);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  nsm4::app::http::HttpConfig cfg;
  if (data[0] & 1) {
    cfg.max_line_bytes = 32;
    cfg.max_header_bytes = 128;
    cfg.max_headers = 4;
    cfg.request_body_limit = 16;
    cfg.response_body_limit = 16;
    cfg.max_pending_txs = 3;
  }
  cfg.decompress = (data[0] & 2) == 0;
  auto parser = nsm4::app::http::make_parser(cfg);
  std::vector<nsm4::app::AppLog> logs;
  std::vector<nsm4::app::AppEvent> events;
  size_t pos = 1;
  while (pos < size) {
    const uint8_t op = data[pos++];
    uint32_t len = 0;
    if (pos + 2 <= size) {
      len = static_cast<uint32_t>(data[pos] << 8 | data[pos + 1]);
      pos += 2;
    } else {
      pos = size;
    }
    const Dir dir = (op & 1) ? Dir::kToClient : Dir::kToServer;
    switch ((op >> 1) & 3) {
      case 1:
        parser->gap(dir, len);
        break;
      case 2:
        parser->eof(dir);
        break;
      default: {
        if (len > size - pos) len = static_cast<uint32_t>(size - pos);
        // An exactly sized copy, so ASan flags reads past the data.
        std::vector<uint8_t> chunk(data + pos, data + pos + len);
        pos += len;
        parser->parse(dir, chunk, nsm4::Timestamp{});
        break;
      }
    }
    inspect(*parser);
    parser->take_logs(logs, false);
    parser->take_events(events);
    parser->prune();
    (void)parser->memory();
    logs.clear();
    events.clear();
  }
  parser->take_logs(logs, true);
  return 0;
}
