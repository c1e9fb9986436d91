#include "nsm4/rules/protocol.h"

#include <array>

namespace nsm4::rules {

namespace {

constexpr uint8_t kTcp = 6, kUdp = 17, kIcmp = 1, kIcmp6 = 58, kSctp = 132;

struct Alias {
  std::string_view name;
  ProtocolInfo info;
};

// Aliases map to the canonical name in info.name.
constexpr std::array kProtocols = {
    Alias{"ip", {"ip", ProtoLayer::kIp, 0}},
    Alias{"ipv4", {"ipv4", ProtoLayer::kIp, 0}},
    Alias{"ip4", {"ipv4", ProtoLayer::kIp, 0}},
    Alias{"ipv6", {"ipv6", ProtoLayer::kIp, 0}},
    Alias{"ip6", {"ipv6", ProtoLayer::kIp, 0}},
    Alias{"pkt", {"pkt", ProtoLayer::kIp, 0}},
    Alias{"tcp", {"tcp", ProtoLayer::kTransport, kTcp}},
    Alias{"tcp-pkt", {"tcp-pkt", ProtoLayer::kTransport, kTcp}},
    Alias{"tcp-stream", {"tcp-stream", ProtoLayer::kTransport, kTcp}},
    Alias{"udp", {"udp", ProtoLayer::kTransport, kUdp}},
    Alias{"icmp", {"icmp", ProtoLayer::kTransport, kIcmp}},
    Alias{"icmpv4", {"icmp", ProtoLayer::kTransport, kIcmp}},
    Alias{"icmpv6", {"icmpv6", ProtoLayer::kTransport, kIcmp6}},
    Alias{"icmp6", {"icmpv6", ProtoLayer::kTransport, kIcmp6}},
    Alias{"sctp", {"sctp", ProtoLayer::kTransport, kSctp}},
    // App-layer protocols (Suricata's names; ip_proto when it is fixed).
    Alias{"http", {"http", ProtoLayer::kApp, kTcp}},
    Alias{"http1", {"http1", ProtoLayer::kApp, kTcp}},
    Alias{"http2", {"http2", ProtoLayer::kApp, kTcp}},
    Alias{"dns", {"dns", ProtoLayer::kApp, 0}},
    Alias{"doh2", {"doh2", ProtoLayer::kApp, kTcp}},
    Alias{"tls", {"tls", ProtoLayer::kApp, kTcp}},
    Alias{"ssl", {"tls", ProtoLayer::kApp, kTcp}},
    Alias{"ssh", {"ssh", ProtoLayer::kApp, kTcp}},
    Alias{"ftp", {"ftp", ProtoLayer::kApp, kTcp}},
    Alias{"ftp-data", {"ftp-data", ProtoLayer::kApp, kTcp}},
    Alias{"smtp", {"smtp", ProtoLayer::kApp, kTcp}},
    Alias{"imap", {"imap", ProtoLayer::kApp, kTcp}},
    Alias{"pop3", {"pop3", ProtoLayer::kApp, kTcp}},
    Alias{"smb", {"smb", ProtoLayer::kApp, kTcp}},
    Alias{"dcerpc", {"dcerpc", ProtoLayer::kApp, 0}},
    Alias{"dhcp", {"dhcp", ProtoLayer::kApp, kUdp}},
    Alias{"ntp", {"ntp", ProtoLayer::kApp, kUdp}},
    Alias{"snmp", {"snmp", ProtoLayer::kApp, kUdp}},
    Alias{"sip", {"sip", ProtoLayer::kApp, 0}},
    Alias{"krb5", {"krb5", ProtoLayer::kApp, 0}},
    Alias{"ikev2", {"ike", ProtoLayer::kApp, kUdp}},
    Alias{"ike", {"ike", ProtoLayer::kApp, kUdp}},
    Alias{"nfs", {"nfs", ProtoLayer::kApp, 0}},
    Alias{"tftp", {"tftp", ProtoLayer::kApp, kUdp}},
    Alias{"rdp", {"rdp", ProtoLayer::kApp, kTcp}},
    Alias{"mqtt", {"mqtt", ProtoLayer::kApp, kTcp}},
    Alias{"rfb", {"rfb", ProtoLayer::kApp, kTcp}},
    Alias{"modbus", {"modbus", ProtoLayer::kApp, kTcp}},
    Alias{"dnp3", {"dnp3", ProtoLayer::kApp, kTcp}},
    Alias{"enip", {"enip", ProtoLayer::kApp, 0}},
    Alias{"quic", {"quic", ProtoLayer::kApp, kUdp}},
    Alias{"ldap", {"ldap", ProtoLayer::kApp, 0}},
    Alias{"pgsql", {"pgsql", ProtoLayer::kApp, kTcp}},
    Alias{"telnet", {"telnet", ProtoLayer::kApp, kTcp}},
    Alias{"websocket", {"websocket", ProtoLayer::kApp, kTcp}},
    Alias{"bittorrent-dht", {"bittorrent-dht", ProtoLayer::kApp, kUdp}},
    Alias{"netbios", {"netbios", ProtoLayer::kApp, 0}},
    Alias{"irc", {"irc", ProtoLayer::kApp, kTcp}},
    Alias{"pop", {"pop3", ProtoLayer::kApp, kTcp}},
};

}  // namespace

const ProtocolInfo* find_protocol(std::string_view name) {
  for (const Alias& a : kProtocols) {
    if (a.name == name) return &a.info;
  }
  return nullptr;
}

}  // namespace nsm4::rules
