#pragma once
// The HTTP/1.x parser: in-order bytes of each direction in, transactions
// (requests paired with their responses in order), EVE records and
// app-layer events out. libhtp/Suricata semantics.
#include <cstdint>
#include <memory>
#include <string>

#include "app/app_parser.h"

namespace nsm4::app::http {

struct HttpConfig {
  uint32_t request_body_limit = 100 * 1024;  // body bytes kept for inspection
  uint32_t response_body_limit = 100 * 1024;
  uint32_t max_line_bytes = 18000;        // one start or header line (libhtp field limit)
  uint32_t max_header_bytes = 64 * 1024;  // a header block as sent
  uint32_t max_headers = 1024;            // headers per message
  bool decompress = true;                 // gzip/deflate Content-Encoding
  uint32_t decompress_max_ratio = 2000;
  uint32_t decompress_max_size = 2 * 1024 * 1024;  // decompressed bytes per body
  uint32_t max_pending_txs = 512;  // transactions awaiting a response; the oldest is given up
};

std::unique_ptr<AppParser> make_parser(const HttpConfig& cfg);

// True once `p` (made by make_parser) saw a CONNECT answered 2xx or a 101
// Switching Protocols: the bytes that follow are not HTTP/1.x and the parser
// ignores them; the caller may run protocol detection on them again.
bool tunnel_established(const AppParser& p);

// True once a CONNECT that was the flow's first request got a 2xx answer:
// what follows is another protocol, to be detected anew (Suricata's protocol
// change after CONNECT). A 101 upgrade is no such change.
bool protocol_change_requested(const AppParser& p);
// The bytes of direction `dir` that came after the tunnel began (sent while
// the CONNECT awaited its answer, or with the answer), handed over once; at
// most max_line_bytes of them.
std::string take_tunnel_bytes(AppParser& p, Dir dir);

}  // namespace nsm4::app::http
