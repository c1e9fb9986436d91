#include "app/http/http_tx.h"

#include <algorithm>

#include "app/http/http_text.h"

namespace nsm4::app::http {
namespace {

using detect::BufferId;
using detect::BufferView;

BufferView view(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), static_cast<uint32_t>(s.size()), true};
}

BufferView header_view(const HttpMessage& m, std::string_view name) {
  if (!m.headers_done) return {};
  const HttpHeader* h = m.header(name);
  return h ? view(h->value) : BufferView{};
}

}  // namespace

const HttpHeader* HttpMessage::header(std::string_view name) const {
  for (const HttpHeader& h : headers)
    if (iequals(h.name, name)) return &h;
  return nullptr;
}

void HttpMessage::reset() {
  *this = HttpMessage();
}

size_t HttpMessage::memory() const {
  size_t n = line.capacity() + protocol.capacity() + headers_raw.capacity() +
             headers_norm.capacity() + header_names.capacity() + start.capacity() + body.memory() +
             headers.capacity() * sizeof(HttpHeader);
  for (const HttpHeader& h : headers) n += h.name.capacity() + h.value.capacity();
  return n;
}

void HttpTx::finish_headers(int dir) {
  HttpMessage& m = dir == 0 ? req : res;
  m.headers_norm.clear();
  m.header_names = "\r\n";
  for (const HttpHeader& h : m.headers) {
    m.headers_norm.append(h.name).append(": ").append(h.value).append("\r\n");
    m.header_names.append(h.name).append("\r\n");
  }
  m.header_names.append("\r\n");
  m.start = m.line;
  m.start.append("\r\n").append(m.headers_norm).append("\r\n");
  m.headers_done = true;
}

BufferView HttpTx::get(BufferId id, int dir, uint32_t index) const {
  if (index != 0 || dir < 0 || dir > 1) return {};
  const HttpMessage& m = dir == 0 ? req : res;
  const bool request = dir == 0;
  switch (id) {
    case BufferId::kHttpUri:
      return request && req.line_done && !uri_raw.empty() ? view(uri_norm) : BufferView{};
    case BufferId::kHttpUriRaw:
      return request && req.line_done && !uri_raw.empty() ? view(uri_raw) : BufferView{};
    case BufferId::kHttpMethod:
      return request && req.line_done && !method.empty() ? view(method) : BufferView{};
    case BufferId::kHttpRequestLine:
      return request && req.line_done ? view(req.line) : BufferView{};
    case BufferId::kHttpProtocol:
      return m.line_done && !m.protocol.empty() ? view(m.protocol) : BufferView{};
    case BufferId::kHttpHeader:
      return m.headers_done && !m.headers.empty() ? view(m.headers_norm) : BufferView{};
    case BufferId::kHttpHeaderRaw:
      return m.headers_done && !m.headers_raw.empty() ? view(m.headers_raw) : BufferView{};
    case BufferId::kHttpHeaderNames:
      return m.headers_done && !m.headers.empty() ? view(m.header_names) : BufferView{};
    case BufferId::kHttpStart:
      return m.headers_done && m.line_done ? view(m.start) : BufferView{};
    case BufferId::kHttpHost:
      return request && req.headers_done && !hostname.empty() ? view(hostname) : BufferView{};
    case BufferId::kHttpHostRaw:
      return request && req.headers_done && !host_raw.empty() ? view(host_raw) : BufferView{};
    case BufferId::kHttpUserAgent:
      return request ? header_view(req, "User-Agent") : BufferView{};
    case BufferId::kHttpCookie:
      return header_view(m, request ? "Cookie" : "Set-Cookie");
    case BufferId::kHttpContentType:
      return header_view(m, "Content-Type");
    case BufferId::kHttpContentLen:
      return header_view(m, "Content-Length");
    case BufferId::kHttpAccept:
      return request ? header_view(req, "Accept") : BufferView{};
    case BufferId::kHttpAcceptEnc:
      return request ? header_view(req, "Accept-Encoding") : BufferView{};
    case BufferId::kHttpAcceptLang:
      return request ? header_view(req, "Accept-Language") : BufferView{};
    case BufferId::kHttpReferer:
      return request ? header_view(req, "Referer") : BufferView{};
    case BufferId::kHttpConnection:
      return header_view(m, "Connection");
    case BufferId::kHttpLocation:
      return request ? BufferView{} : header_view(res, "Location");
    case BufferId::kHttpServer:
      return request ? BufferView{} : header_view(res, "Server");
    case BufferId::kHttpStatCode:
      return !request && res.line_done && !status.empty() ? view(status) : BufferView{};
    case BufferId::kHttpStatMsg:
      return !request && res.line_done && !status.empty() ? view(reason) : BufferView{};
    case BufferId::kHttpResponseLine:
      return !request && res.line_done ? view(res.line) : BufferView{};
    case BufferId::kHttpRequestBody:
      return request && !req.body.data().empty() ? view(req.body.data()) : BufferView{};
    case BufferId::kHttpResponseBody:
      return !request && !res.body.data().empty() ? view(res.body.data()) : BufferView{};
    case BufferId::kFileData:
      return !m.body.data().empty() ? view(m.body.data()) : BufferView{};
    default:
      return {};
  }
}

bool HttpTx::get_int(detect::TxInt field, int dir, int64_t& out) const {
  switch (field) {
    case detect::TxInt::kHttpUriLen:
      if (!req.line_done || uri_raw.empty()) return false;
      out = static_cast<int64_t>(uri_norm.size());
      return true;
    case detect::TxInt::kHttpUriRawLen:
      if (!req.line_done || uri_raw.empty()) return false;
      out = static_cast<int64_t>(uri_raw.size());
      return true;
    case detect::TxInt::kHttpStatCode:
      if (status_code < 0) return false;
      out = status_code;
      return true;
    default:
      (void)dir;
      return false;
  }
}

size_t HttpTx::memory() const {
  return sizeof(HttpTx) + req.memory() + res.memory() + method.capacity() + uri_raw.capacity() +
         uri_norm.capacity() + hostname.capacity() + host_raw.capacity() + status.capacity() +
         reason.capacity();
}

}  // namespace nsm4::app::http
