#include "output/eve_format.h"

#include <pcap/pcap.h>

#include <cctype>
#include <cstdio>

#include "flow/community_id.h"
#include "nsm4/common/json_writer.h"
#include "nsm4/common/time_format.h"

namespace nsm4 {

namespace {

void write_ts(JsonWriter& w, std::string_view key, Timestamp ts, std::string& scratch) {
  scratch.clear();
  append_eve_timestamp(scratch, ts.sec, ts.usec);
  w.kv(key, std::string_view(scratch));
}

void write_mac_list(JsonWriter& w, std::string_view key, const uint8_t (*macs)[6], int count) {
  w.key(key).begin_array();
  for (int i = 0; i < count; ++i) {
    const uint8_t* m = macs[i];
    char buf[18];
    std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
                  m[5]);
    w.value(std::string_view(buf, 17));
  }
  w.end_array();
}

void write_vlan(JsonWriter& w, uint8_t count, const std::array<uint16_t, 3>& vlan) {
  if (!count) return;
  w.key("vlan").begin_array();
  for (uint8_t i = 0; i < count; ++i) w.value(static_cast<unsigned>(vlan[i]));
  w.end_array();
}

void write_common_tail(JsonWriter& w, const EveOptions& opt) {
  if (!opt.site.empty()) w.kv("site", opt.site);
  if (!opt.agent.empty()) w.kv("agent", opt.agent);
}

bool is_icmp(uint8_t proto) {
  return proto == 1 || proto == 58;
}
bool has_ports(uint8_t proto) {
  return proto == 6 || proto == 17 || proto == 132;
}

void write_tcp_flags_hex(JsonWriter& w, std::string_view key, uint8_t flags) {
  char buf[3];
  std::snprintf(buf, sizeof buf, "%02x", flags);
  w.kv(key, std::string_view(buf, 2));
}

// Which decoder produced the packet, with Suricata's names.
std::string_view packet_source_name(const Packet& p) {
  if (p.reassembled) return "defrag";
  if (!p.tunnel_depth || !p.outer.ip_version) return "wire/pcap";
  if (p.outer.ip_proto == 47) return "gre tunnel";
  if (p.outer.ip_proto == 17) {
    if (p.outer.dport == 4789) return "vxlan encapsulation";
    if (p.outer.dport == 6081) return "geneve encapsulation";
    return "teredo tunnel";
  }
  return p.outer.ip_version == 4 ? "ipv4 tunnel" : "ipv6 tunnel";
}

}  // namespace

std::string_view proto_name(uint8_t proto, char (&numbuf)[4]) {
  switch (proto) {
    case 1:
      return "ICMP";
    case 2:
      return "IGMP";
    case 4:
      return "IP-in-IP";
    case 6:
      return "TCP";
    case 17:
      return "UDP";
    case 41:
      return "IPv6";
    case 47:
      return "GRE";
    case 50:
      return "ESP";
    case 51:
      return "AH";
    case 58:
      return "IPv6-ICMP";
    case 103:
      return "PIM";
    case 132:
      return "SCTP";
    default: {
      int n = std::snprintf(numbuf, sizeof numbuf, "%u", proto);
      return std::string_view(numbuf, static_cast<size_t>(n));
    }
  }
}

void format_flow_event(std::string& out, const Flow& f, FlowEndReason reason, const EveOptions& opt,
                       std::string_view action) {
  std::string scratch;
  JsonWriter w(out);
  const auto& k = f.key;
  w.begin_object();
  write_ts(w, "timestamp", f.last_seen, scratch);
  w.kv("flow_id", f.flow_id);
  if (!opt.in_iface.empty()) w.kv("in_iface", opt.in_iface);
  w.kv("event_type", "flow");
  write_vlan(w, k.vlan_count, k.vlan);
  w.kv("src_ip", k.src.to_string());
  if (has_ports(k.proto)) w.kv("src_port", static_cast<unsigned>(k.sport));
  w.kv("dest_ip", k.dst.to_string());
  if (has_ports(k.proto)) w.kv("dest_port", static_cast<unsigned>(k.dport));
  w.kv("ip_v", static_cast<unsigned>(f.ip_version));
  char num[4];
  w.kv("proto", proto_name(k.proto, num));
  if (is_icmp(k.proto)) {
    w.kv("icmp_type", static_cast<unsigned>(f.icmp_type));
    w.kv("icmp_code", static_cast<unsigned>(f.icmp_code));
    if (f.has_response_icmp) {
      w.kv("response_icmp_type", static_cast<unsigned>(f.response_icmp_type));
      w.kv("response_icmp_code", static_cast<unsigned>(f.response_icmp_code));
    }
  }
  w.key("flow").begin_object();
  w.kv("pkts_toserver", f.toserver.pkts);
  w.kv("pkts_toclient", f.toclient.pkts);
  w.kv("bytes_toserver", f.toserver.bytes);
  w.kv("bytes_toclient", f.toclient.bytes);
  write_ts(w, "start", f.start, scratch);
  write_ts(w, "end", f.last_seen, scratch);
  w.kv("age", static_cast<int64_t>(f.last_seen.sec - f.start.sec));
  w.kv("state", flow_state_name(f.state));
  w.kv("reason", flow_end_reason_name(reason));
  w.kv("alerted", f.alerted);
  if (!action.empty()) w.kv("action", action);
  w.end_object();
  if (f.app_proto != app::kProtoUnknown) w.kv("app_proto", app::proto_name(f.app_proto));
  if (f.app_proto_orig != app::kProtoUnknown)
    w.kv("app_proto_orig", app::proto_name(f.app_proto_orig));
  if (opt.log_ethernet && (f.src_mac_count || f.dst_mac_count)) {
    w.key("ether").begin_object();
    write_mac_list(w, "src_macs", f.src_macs, f.src_mac_count);
    write_mac_list(w, "dest_macs", f.dst_macs, f.dst_mac_count);
    w.end_object();
  }
  if (opt.community_id) w.kv("community_id", flow_community_id(f, opt.community_id_seed));
  if (k.proto == 6) {
    uint8_t all = f.toserver.tcp_flags | f.toclient.tcp_flags;
    w.key("tcp").begin_object();
    write_tcp_flags_hex(w, "tcp_flags", all);
    write_tcp_flags_hex(w, "tcp_flags_ts", f.toserver.tcp_flags);
    write_tcp_flags_hex(w, "tcp_flags_tc", f.toclient.tcp_flags);
    if (all & kTcpFin) w.kv("fin", true);
    if (all & kTcpSyn) w.kv("syn", true);
    if (all & kTcpRst) w.kv("rst", true);
    if (all & kTcpPsh) w.kv("psh", true);
    if (all & kTcpAck) w.kv("ack", true);
    if (all & kTcpUrg) w.kv("urg", true);
    if (all & kTcpEce) w.kv("ecn", true);
    if (all & kTcpCwr) w.kv("cwr", true);
    if (f.tcp_tracked) w.kv("state", tcp_state_name(f.tcp_state));
    w.end_object();
  }
  write_common_tail(w, opt);
  w.end_object();
  out.push_back('\n');
}

void write_packet_header(JsonWriter& w, const Packet& p, const Flow* f, std::string_view event_type,
                         const EveOptions& opt) {
  std::string scratch;
  write_ts(w, "timestamp", p.ts, scratch);
  if (f) w.kv("flow_id", f->flow_id);
  if (!opt.in_iface.empty()) w.kv("in_iface", opt.in_iface);
  if (p.pcap_cnt) w.kv("pcap_cnt", p.pcap_cnt);
  w.kv("event_type", event_type);
  write_vlan(w, p.vlan_count, p.vlan);
  if (p.ip_version) {
    bool ports = p.has_ports();
    w.kv("src_ip", p.src.to_string());
    if (ports) w.kv("src_port", static_cast<unsigned>(p.sport));
    w.kv("dest_ip", p.dst.to_string());
    if (ports) w.kv("dest_port", static_cast<unsigned>(p.dport));
    w.kv("ip_v", static_cast<unsigned>(p.ip_version));
    char num[4];
    w.kv("proto", proto_name(p.ip_proto, num));
    if (p.l4 == Layer::kIcmpv4 || p.l4 == Layer::kIcmpv6) {
      w.kv("icmp_type", static_cast<unsigned>(p.icmp_type));
      w.kv("icmp_code", static_cast<unsigned>(p.icmp_code));
    }
    if (opt.community_id && f) w.kv("community_id", flow_community_id(*f, opt.community_id_seed));
  }
  w.kv("pkt_src", packet_source_name(p));
}

void format_decode_anomaly(std::string& out, const Packet& p, DecodeEvent e, const Flow* f,
                           const EveOptions& opt) {
  JsonWriter w(out);
  w.begin_object();
  write_packet_header(w, p, f, "anomaly", opt);
  w.key("anomaly").begin_object();
  w.kv("type", "decode");
  w.kv("event", decode_event_name(e));
  w.end_object();
  write_common_tail(w, opt);
  w.end_object();
  out.push_back('\n');
}

void format_alert(std::string& out, const Packet& p, const Flow* f, bool toserver,
                  const AlertFields& a, const EveOptions& opt) {
  JsonWriter w(out);
  w.begin_object();
  write_packet_header(w, p, f, "alert", opt);
  w.key("alert").begin_object();
  w.kv("action", a.action);
  w.kv("gid", static_cast<unsigned>(a.gid));
  w.kv("signature_id", static_cast<unsigned>(a.sid));
  w.kv("rev", static_cast<unsigned>(a.rev));
  w.kv("signature", a.signature);
  w.kv("category", a.category);
  w.kv("severity", a.severity);
  if (!a.metadata_json.empty()) w.key("metadata").raw(a.metadata_json);
  w.end_object();
  if (a.tx_id >= 0) w.kv("tx_id", a.tx_id);
  if (!a.app_key.empty() && !a.app_json.empty()) w.key(a.app_key).raw(a.app_json);
  if (f && f->app_proto != app::kProtoUnknown) w.kv("app_proto", app::proto_name(f->app_proto));
  if (p.tunnel_depth && p.outer.ip_version) {
    char num[4];
    w.key("tunnel").begin_object();
    w.kv("src_ip", p.outer.src.to_string());
    if (p.outer.ip_proto == 6 || p.outer.ip_proto == 17) {
      w.kv("src_port", static_cast<unsigned>(p.outer.sport));
      w.kv("dest_ip", p.outer.dst.to_string());
      w.kv("dest_port", static_cast<unsigned>(p.outer.dport));
    } else {
      w.kv("dest_ip", p.outer.dst.to_string());
    }
    w.kv("proto", proto_name(p.outer.ip_proto, num));
    w.kv("depth", static_cast<unsigned>(p.tunnel_depth));
    w.end_object();
  }
  if (f) {
    w.kv("direction", toserver ? "to_server" : "to_client");
    std::string scratch;
    w.key("flow").begin_object();
    w.kv("pkts_toserver", f->toserver.pkts);
    w.kv("pkts_toclient", f->toclient.pkts);
    w.kv("bytes_toserver", f->toserver.bytes);
    w.kv("bytes_toclient", f->toclient.bytes);
    write_ts(w, "start", f->start, scratch);
    w.kv("src_ip", f->key.src.to_string());
    w.kv("dest_ip", f->key.dst.to_string());
    if (has_ports(f->key.proto)) {
      w.kv("src_port", static_cast<unsigned>(f->key.sport));
      w.kv("dest_port", static_cast<unsigned>(f->key.dport));
    }
    w.end_object();
  }
  // A packet decoded out of a tunnel is a raw IP packet, as Suricata logs it.
  const int linktype = p.tunnel_depth ? DLT_RAW : p.datalink;
  if (const char* name = pcap_datalink_val_to_name(linktype)) {
    w.key("packet_info").begin_object();
    w.kv("linktype", linktype);
    w.kv("linktype_name", name);
    w.end_object();
  }
  write_common_tail(w, opt);
  w.end_object();
  out.push_back('\n');
}

namespace {

// timestamp, flow_id, pcap_cnt, event_type and the flow's addresses, the
// client's first unless `from_server`.
void write_flow_header(JsonWriter& w, const Packet* p, const Flow& f, std::string_view event_type,
                       bool from_server, const EveOptions& opt) {
  std::string scratch;
  write_ts(w, "timestamp", p ? p->ts : f.last_seen, scratch);
  w.kv("flow_id", f.flow_id);
  if (!opt.in_iface.empty()) w.kv("in_iface", opt.in_iface);
  if (p && p->pcap_cnt) w.kv("pcap_cnt", p->pcap_cnt);
  w.kv("event_type", event_type);
  write_vlan(w, f.key.vlan_count, f.key.vlan);
  const auto& k = f.key;
  const bool ports = has_ports(k.proto);
  w.kv("src_ip", (from_server ? k.dst : k.src).to_string());
  if (ports) w.kv("src_port", static_cast<unsigned>(from_server ? k.dport : k.sport));
  w.kv("dest_ip", (from_server ? k.src : k.dst).to_string());
  if (ports) w.kv("dest_port", static_cast<unsigned>(from_server ? k.sport : k.dport));
  w.kv("ip_v", static_cast<unsigned>(f.ip_version));
  char num[4];
  w.kv("proto", proto_name(k.proto, num));
  if (opt.community_id) w.kv("community_id", flow_community_id(f, opt.community_id_seed));
  if (p) w.kv("pkt_src", packet_source_name(*p));
}

}  // namespace

void format_app_log(std::string& out, const Packet* p, const Flow& f, const app::AppLog& log,
                    const EveOptions& opt) {
  JsonWriter w(out);
  w.begin_object();
  write_flow_header(w, p, f, log.type, log.from_server, opt);
  w.kv("tx_id", log.tx_id);
  w.key(log.type).raw(log.body);
  w.kv("app_proto", app::proto_name(f.app_proto));
  write_common_tail(w, opt);
  w.end_object();
  out.push_back('\n');
}

void format_app_anomaly(std::string& out, const Packet& p, const Flow& f, uint8_t app_proto,
                        const app::AppEvent& e, const EveOptions& opt) {
  JsonWriter w(out);
  w.begin_object();
  write_packet_header(w, p, &f, "anomaly", opt);
  w.kv("tx_id", e.tx_id);
  w.key("anomaly").begin_object();
  w.kv("app_proto", app::proto_name(app_proto));
  w.kv("type", "applayer");
  w.kv("event", e.name);
  w.kv("layer", "proto_parser");
  w.end_object();
  w.kv("app_proto", app::proto_name(f.app_proto));
  write_common_tail(w, opt);
  w.end_object();
  out.push_back('\n');
}

void format_stream_anomaly(std::string& out, const Packet& p, const Flow& f, StreamEvent e,
                           const EveOptions& opt) {
  JsonWriter w(out);
  w.begin_object();
  write_packet_header(w, p, &f, "anomaly", opt);
  w.key("anomaly").begin_object();
  w.kv("type", "stream");
  std::string name = "stream.";
  for (const char* c = stream_event_name(e); *c; ++c)
    name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(*c))));
  w.kv("event", name);
  w.end_object();
  write_common_tail(w, opt);
  w.end_object();
  out.push_back('\n');
}

}  // namespace nsm4
