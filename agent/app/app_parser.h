#pragma once
// The interface every application-layer parser implements (app/http,
// app/dns, app/tls). The worker feeds a flow's parser with in-order stream
// bytes (TCP, after reassembly) or one datagram at a time (UDP), then, for the
// same packet: inspects the transactions that changed with the app-layer
// rules, writes the EVE records the parser has ready, and lets it prune.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/app_proto.h"
#include "decode/packet.h"
#include "detect/buffer.h"

namespace nsm4::app {

// One request/response exchange (an HTTP request and its response, a DNS
// query and its answer, a TLS handshake). It is the source of the app-layer
// buffers (http.uri, dns.query, tls.sni ...) that rules inspect.
class AppTx : public detect::BufferSource {
 public:
  ~AppTx() override = default;
  uint64_t tx_id = 0;  // 0, 1, 2 ... per flow, in creation order
  // Incremented by the parser whenever the transaction got new data that
  // rules could inspect (request line, headers, body bytes, response ...);
  // the worker inspects a transaction again only when this changed.
  uint32_t revision = 0;
  // Each side is complete (request fully parsed / response fully parsed, or
  // given up on); rules on a side's buffers that did not match by then never
  // will for this transaction.
  bool complete[2] = {false, false};
};

// One EVE record a parser has ready. The worker writes the envelope
// (timestamp, flow_id, pcap_cnt of the current packet, addresses, proto,
// event_type = `type`, tx_id) and then `"<type>": <body>`.
struct AppLog {
  std::string_view type;  // "http", "dns", "tls"
  uint64_t tx_id = 0;
  // Whose addresses come first: false writes the client as src (HTTP, TLS,
  // DNS requests), true the server (DNS responses, as Suricata does).
  bool from_server = false;
  std::string body;  // a JSON object: {"hostname":"...","url":"/",...}
};

// An app-layer anomaly (EVE anomaly type "applayer", event name like
// "REQUEST_HEADER_INVALID" or "MALFORMED_DATA").
struct AppEvent {
  std::string_view name;
  Dir dir = Dir::kToServer;
  uint64_t tx_id = 0;
};

class AppParser {
 public:
  virtual ~AppParser() = default;
  virtual uint8_t proto() const = 0;

  // In-order bytes of one direction (TCP) or one datagram's payload (UDP).
  // `ts` is the capture time of the packet that brought them.
  virtual void parse(Dir dir, std::span<const uint8_t> data, Timestamp ts) = 0;
  // `len` bytes of this direction were lost (a gap the stream could not fill).
  virtual void gap(Dir dir, uint32_t len) {
    (void)dir;
    (void)len;
  }
  // This direction ended (FIN, RST, flow timeout).
  virtual void eof(Dir dir) { (void)dir; }

  // The live transactions, oldest first (detection walks them).
  virtual size_t tx_count() const = 0;
  virtual AppTx& tx_at(size_t i) = 0;

  // Appends the EVE records that became ready since the last call. With
  // flow_end, everything still unlogged (a request without response ...).
  virtual void take_logs(std::vector<AppLog>& out, bool flow_end) = 0;
  // The transaction as an alert carries it (the "http", "dns" or "tls"
  // object of an alert on that transaction): a JSON object, "" for none.
  virtual std::string alert_metadata(const AppTx& tx) const {
    (void)tx;
    return {};
  }
  // Appends the anomalies raised since the last call.
  virtual void take_events(std::vector<AppEvent>& out) { (void)out; }
  // Frees the transactions that are complete and logged.
  virtual void prune() = 0;

  // Bytes held (buffers, transactions), for the memory figures.
  virtual size_t memory() const = 0;
};

}  // namespace nsm4::app
