// libFuzzer target for the TLS parser: probe, record framing, hellos,
// certificates (OpenSSL), fingerprints and the EVE record.
//
// Input format: a sequence of chunks [ctl][len][len bytes]; bit 0 of ctl is
// the direction (0 to server), bit 1 an eof of that direction after the
// chunk, bit 2 a gap. The whole input is also probed in both directions.
// Seeds: the TCP payloads of the TLS conformance captures (make_corpus.py --tls).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "app/tls/tls_parser.h"
#include "app/tls/tls_probe.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nsm4::app;
  std::span<const uint8_t> all(data, size);
  (void)tls::probe(Dir::kToServer, all);
  (void)tls::probe(Dir::kToClient, all);

  tls::TlsConfig cfg;
  cfg.max_certs = 3;
  auto parser = tls::make_parser(cfg);
  std::vector<AppLog> logs;
  std::vector<AppEvent> events;
  size_t pos = 0;
  while (pos + 2 <= size) {
    uint8_t ctl = data[pos];
    size_t len = data[pos + 1];
    pos += 2;
    len = len == 0 ? size - pos : std::min(len, size - pos);  // 0: the rest
    Dir dir = (ctl & 1) ? Dir::kToClient : Dir::kToServer;
    if (ctl & 4) parser->gap(dir, static_cast<uint32_t>(len));
    parser->parse(dir, all.subspan(pos, len), {});
    pos += len;
    if (ctl & 2) parser->eof(dir);
    parser->take_logs(logs, false);
    parser->take_events(events);
    for (size_t i = 0; i < parser->tx_count(); ++i) {
      AppTx& tx = parser->tx_at(i);
      for (int b = 0; b < nsm4::detect::kBufferCount; ++b)
        (void)tx.get(static_cast<nsm4::detect::BufferId>(b), ctl & 1, 0);
      int64_t v = 0;
      (void)tx.get_int(nsm4::detect::TxInt::kTlsVersion, 0, v);
    }
  }
  parser->take_logs(logs, true);
  (void)parser->memory();
  return 0;
}
