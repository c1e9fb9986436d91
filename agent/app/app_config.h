#pragma once
// Settings of the application layer (agent.yaml: stream.*, app-layer.*).
#include <cstdint>

#include "app/dns/dns_parser.h"
#include "app/http/http_parser.h"
#include "app/tls/tls_parser.h"
#include "reassembly/tcp_stream.h"

namespace nsm4::app {

struct AppConfig {
  bool enabled = true;
  StreamConfig stream;
  // Bytes of one direction looked at before protocol detection gives up.
  uint32_t probe_limit = 4096;
  // Bytes of a direction's stream kept before new data, so that stream
  // matching finds content crossing segment boundaries.
  uint32_t stream_context = 256;
  // EVE records of a TCP flow wait until the peer acknowledges the data
  // that completed them (Suricata, in IDS mode, parses a direction's data
  // on the packet that acks it, so its records come on that packet). At
  // most this many wait per flow; beyond, the oldest is written (counted).
  uint32_t held_logs_limit = 64;
  bool http = true, tls = true, dns = true;  // app-layer.protocols.<name>.enabled
  http::HttpConfig http_cfg;
  dns::DnsConfig dns_cfg;
  tls::TlsConfig tls_cfg;
};

}  // namespace nsm4::app
