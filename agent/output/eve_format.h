#pragma once
// EVE JSON records with Suricata's field names, so that existing EVE tooling
// (jq recipes, Filebeat's Suricata module, EveBox) reads them unchanged.
#include <string>
#include <string_view>

#include "app/app_parser.h"
#include "decode/events.h"
#include "decode/packet.h"
#include "flow/flow.h"
#include "reassembly/tcp_stream.h"

namespace nsm4 {

class JsonWriter;

struct EveOptions {
  std::string site;           // "site" on every event when set
  std::string agent;          // "agent" on every event when set
  std::string in_iface;       // live capture interface
  bool log_ethernet = false;  // ether.{src,dest}_mac(s)
  bool community_id = true;
  uint16_t community_id_seed = 0;
};

// "TCP", "UDP", "ICMP", "IPv6-ICMP", ... or the number as text.
std::string_view proto_name(uint8_t proto, char (&numbuf)[4]);

// Appends one line (with the trailing newline) to `out`.
// action: flow.action ("pass" when a pass rule matched), empty for none.
void format_flow_event(std::string& out, const Flow& f, FlowEndReason reason, const EveOptions& opt,
                       std::string_view action = {});
void format_decode_anomaly(std::string& out, const Packet& p, DecodeEvent e, const Flow* f,
                           const EveOptions& opt);

// What an alert record says about the rule that matched.
struct AlertFields {
  std::string_view action = "allowed";
  uint32_t gid = 1;
  uint32_t sid = 0;
  uint32_t rev = 0;
  std::string_view signature;
  std::string_view category;
  int severity = 3;
  std::string_view metadata_json;  // {"key":["value"]} or empty
  int64_t tx_id = -1;              // the transaction a transaction rule matched
  // That transaction as a JSON object, written under app_key ("http", "dns",
  // "tls"); empty for none.
  std::string_view app_key;
  std::string_view app_json;
};

// An alert as Suricata writes it: packet header, alert {...}, direction and
// the flow's counters so far.
void format_alert(std::string& out, const Packet& p, const Flow* f, bool toserver,
                  const AlertFields& a, const EveOptions& opt);

// An app-layer record (http, dns, tls): the flow's addresses (the client
// first unless the record comes from the server), tx_id, then the parser's
// body under its type. p: the packet that made it ready, nullptr at flow end.
void format_app_log(std::string& out, const Packet* p, const Flow& f, const app::AppLog& log,
                    const EveOptions& opt);
// An app-layer parser's anomaly (anomaly.type "applayer").
void format_app_anomaly(std::string& out, const Packet& p, const Flow& f, uint8_t app_proto,
                        const app::AppEvent& e, const EveOptions& opt);
// A stream reassembly anomaly (anomaly.type "stream").
void format_stream_anomaly(std::string& out, const Packet& p, const Flow& f, StreamEvent e,
                           const EveOptions& opt);

// Header fields shared by packet-based events (anomaly now, alert later):
// timestamp, flow_id, pcap_cnt, event_type, vlan, addresses, proto,
// community_id. The writer is inside the top-level object.
void write_packet_header(JsonWriter& w, const Packet& p, const Flow* f, std::string_view event_type,
                         const EveOptions& opt);

}  // namespace nsm4
