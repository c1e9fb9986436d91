#pragma once
// One HTTP request/response exchange and the inspection buffers it serves.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/app_parser.h"
#include "app/http/http_body.h"

namespace nsm4::app::http {

struct HttpHeader {
  std::string name;
  std::string value;
};

// The request or the response of a transaction.
struct HttpMessage {
  bool line_done = false;     // request/response line parsed
  bool headers_done = false;  // header block parsed
  std::string line;           // the start line without its line end
  std::string protocol;       // "HTTP/1.1"; empty when absent
  std::vector<HttpHeader> headers;
  std::string headers_raw;  // the header block as sent, up to its empty line
  // Built when the headers are complete (see HttpTx::finish_headers).
  std::string headers_norm;  // "Name: value\r\n" each
  std::string header_names;  // "\r\nName1\r\nName2\r\n\r\n"
  std::string start;         // line "\r\n" headers_norm "\r\n"
  BodyBuffer body;
  uint64_t message_len = 0;  // body bytes on the wire (chunk framing included)
  bool body_started = false;

  // Case-insensitive; nullptr when absent.
  const HttpHeader* header(std::string_view name) const;
  void reset();
  size_t memory() const;
};

class HttpTx : public AppTx {
 public:
  HttpMessage req;
  HttpMessage res;
  std::string method;
  std::string uri_raw;
  std::string uri_norm;
  std::string hostname;  // lower-cased, no port: from an absolute URI, else Host
  std::string host_raw;  // the Host header value (or the URI's authority host)
  int port = -1;         // port given with the host, -1 when none
  std::string status;    // "200"
  std::string reason;    // "OK"
  int status_code = -1;  // -1 when absent or invalid
  bool logged = false;
  bool unexpected_body = false;  // REQUEST_BODY_UNEXPECTED raised
  bool seen_100 = false;
  bool request_unseen = false;  // a response without request (libhtp's dummy transaction)

  detect::BufferView get(detect::BufferId id, int dir, uint32_t index) const override;
  bool get_int(detect::TxInt field, int dir, int64_t& out) const override;

  // Builds the normalised header buffers of side `dir` (0 request, 1 response).
  void finish_headers(int dir);
  size_t memory() const;
};

}  // namespace nsm4::app::http
