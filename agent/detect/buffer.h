#pragma once
// The registry of inspection buffers: what `content`, `pcre`, `bsize`,
// `isdataat` and `byte_*` look at. pkt_data (the packet payload) is the
// default; sticky buffers (`ipv4.hdr; content:...`, `http.uri; content:...`)
// switch the current buffer for the keywords that follow.
//
// Packet buffers have a getter reading the packet. App-layer buffers belong
// to one application protocol and come from a transaction (an HTTP request
// and response, a DNS query, a TLS handshake) through a BufferSource that the
// protocol's parser implements; they exist for one direction or both (the
// request's or the response's headers for http.header).
#include <cstdint>
#include <string_view>

#include "app/app_proto.h"
#include "decode/packet.h"

namespace nsm4 {
struct Flow;
}

namespace nsm4::detect {

// clang-format off
// X(enumerator, keyword, app protocol, directions, help)
// directions: 1 to server, 2 to client, 3 either.
#define NSM4_APP_BUFFERS(X) \
  X(kHttpUri, "http.uri", kProtoHttp, 1, "the normalised request URI") \
  X(kHttpUriRaw, "http.uri.raw", kProtoHttp, 1, "the request URI as sent") \
  X(kHttpMethod, "http.method", kProtoHttp, 1, "the request method") \
  X(kHttpProtocol, "http.protocol", kProtoHttp, 3, "the protocol of the request or response line (HTTP/1.1)") \
  X(kHttpRequestLine, "http.request_line", kProtoHttp, 1, "the request line without its line end") \
  X(kHttpHeader, "http.header", kProtoHttp, 3, "the headers, normalised: 'Name: value\\r\\n' each, Host and Cookie included") \
  X(kHttpHeaderRaw, "http.header.raw", kProtoHttp, 3, "the header block as sent") \
  X(kHttpHeaderNames, "http.header_names", kProtoHttp, 3, "the header names, each preceded by \\r\\n, block ended by \\r\\n\\r\\n") \
  X(kHttpStart, "http.start", kProtoHttp, 3, "the request or response line and the headers") \
  X(kHttpHost, "http.host", kProtoHttp, 1, "the Host header value, lower-cased") \
  X(kHttpHostRaw, "http.host.raw", kProtoHttp, 1, "the Host header value as sent") \
  X(kHttpUserAgent, "http.user_agent", kProtoHttp, 1, "the User-Agent header value") \
  X(kHttpCookie, "http.cookie", kProtoHttp, 3, "the Cookie (request) or Set-Cookie (response) value") \
  X(kHttpContentType, "http.content_type", kProtoHttp, 3, "the Content-Type header value") \
  X(kHttpContentLen, "http.content_len", kProtoHttp, 3, "the Content-Length header value") \
  X(kHttpAccept, "http.accept", kProtoHttp, 1, "the Accept header value") \
  X(kHttpAcceptEnc, "http.accept_enc", kProtoHttp, 1, "the Accept-Encoding header value") \
  X(kHttpAcceptLang, "http.accept_lang", kProtoHttp, 1, "the Accept-Language header value") \
  X(kHttpReferer, "http.referer", kProtoHttp, 1, "the Referer header value") \
  X(kHttpConnection, "http.connection", kProtoHttp, 3, "the Connection header value") \
  X(kHttpLocation, "http.location", kProtoHttp, 2, "the Location header value") \
  X(kHttpServer, "http.server", kProtoHttp, 2, "the Server header value") \
  X(kHttpStatCode, "http.stat_code", kProtoHttp, 2, "the response status code (3 digits)") \
  X(kHttpStatMsg, "http.stat_msg", kProtoHttp, 2, "the response reason phrase") \
  X(kHttpResponseLine, "http.response_line", kProtoHttp, 2, "the response line without its line end") \
  X(kHttpRequestBody, "http.request_body", kProtoHttp, 1, "the request body, de-chunked and decompressed") \
  X(kHttpResponseBody, "http.response_body", kProtoHttp, 2, "the response body, de-chunked and decompressed") \
  X(kFileData, "file.data", kProtoHttp, 3, "the file carried: the response body (or the request body of an upload)") \
  X(kDnsQuery, "dns.query", kProtoDns, 1, "each query name of a DNS request (dotted, no trailing dot)") \
  X(kDnsAnswerName, "dns.answer.name", kProtoDns, 2, "each answer name of a DNS response") \
  X(kTlsSni, "tls.sni", kProtoTls, 1, "the server name of the client hello") \
  X(kTlsCertSubject, "tls.cert_subject", kProtoTls, 2, "the server certificate's subject (C=.., O=.., CN=..)") \
  X(kTlsCertIssuer, "tls.cert_issuer", kProtoTls, 2, "the server certificate's issuer") \
  X(kTlsCertSerial, "tls.cert_serial", kProtoTls, 2, "the server certificate's serial (hex bytes with ':')") \
  X(kTlsCertFingerprint, "tls.cert_fingerprint", kProtoTls, 2, "the server certificate's SHA-1 (hex with ':')") \
  X(kJa3Hash, "ja3.hash", kProtoTls, 1, "the JA3 hash of the client hello (32 hex digits)") \
  X(kJa3String, "ja3.string", kProtoTls, 1, "the JA3 string of the client hello") \
  X(kJa3sHash, "ja3s.hash", kProtoTls, 2, "the JA3S hash of the server hello") \
  X(kJa3sString, "ja3s.string", kProtoTls, 2, "the JA3S string of the server hello") \
  X(kJa4Hash, "ja4.hash", kProtoTls, 1, "the JA4 fingerprint of the client hello")
// clang-format on

enum class BufferId : uint8_t {
  kPktData,
  kIpv4Hdr,
  kIpv6Hdr,
  kTcpHdr,
  kUdpHdr,
  kIcmpv4Hdr,
  kIcmpv6Hdr,
#define NSM4_BUFFER_ENUM(e, name, proto, dirs, help) e,
  NSM4_APP_BUFFERS(NSM4_BUFFER_ENUM)
#undef NSM4_BUFFER_ENUM
      kCount
};
inline constexpr int kBufferCount = static_cast<int>(BufferId::kCount);
inline constexpr BufferId kFirstAppBuffer = BufferId::kHttpUri;

struct BufferView {
  const uint8_t* data = nullptr;
  uint32_t len = 0;
  bool present = false;  // the packet (transaction) has this buffer
};

// Integer fields of a transaction that keywords compare (dns.opcode,
// dns.rcode, tls.version, urilen ...).
enum class TxInt : uint8_t {
  kDnsOpcode,   // of the request (or of the response when no request)
  kDnsRcode,    // of the response
  kTlsVersion,  // negotiated version (server hello), else the client's: 0x0303 ...
  kHttpUriLen,  // length of the normalised URI
  kHttpUriRawLen,
  kHttpStatCode,
};

// A transaction, as detection sees it. Implemented by each protocol's
// transaction type (app/http, app/dns, app/tls).
class BufferSource {
 public:
  virtual ~BufferSource() = default;
  // The buffer `id` for direction `dir` (0 to server, 1 to client).
  // Multi-buffers (dns.query: one per query name) have further instances at
  // index 1, 2 ...; single buffers only index 0. present=false when the
  // transaction has no such buffer (not parsed yet, header absent).
  virtual BufferView get(BufferId id, int dir, uint32_t index) const = 0;
  // false when the transaction has no such field (yet).
  virtual bool get_int(TxInt field, int dir, int64_t& out) const {
    (void)field;
    (void)dir;
    (void)out;
    return false;
  }
};

struct BufferDef {
  std::string_view name;  // the sticky-buffer keyword ("pkt_data", "tcp.hdr", "http.uri")
  BufferId id;
  std::string_view help;
  // Packet buffers: read from the packet. nullptr for app-layer buffers.
  BufferView (*get)(const Packet& p, const Flow* f) = nullptr;
  uint8_t app_proto = 0;  // app::Proto of an app-layer buffer, 0 for packet buffers
  uint8_t dirs = 3;       // app-layer: 1 to server, 2 to client, 3 both
  bool is_app() const { return app_proto != 0; }
};

// The rows of the registry, indexed by BufferId.
const BufferDef& buffer_def(BufferId id);
// nullptr when `name` is not a sticky buffer nsm4 knows.
const BufferDef* find_buffer(std::string_view name);

}  // namespace nsm4::detect
