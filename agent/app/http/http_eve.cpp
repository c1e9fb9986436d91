#include "app/http/http_eve.h"

#include "nsm4/common/json_writer.h"

namespace nsm4::app::http {
namespace {

void header_kv(JsonWriter& w, const HttpMessage& m, std::string_view name, std::string_view key) {
  if (const HttpHeader* h = m.header(name)) w.kv(key, std::string_view(h->value));
}

}  // namespace

std::string eve_body(const HttpTx& tx) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  if (!tx.hostname.empty()) w.kv("hostname", std::string_view(tx.hostname));
  if (tx.port > 0) w.kv("http_port", tx.port);
  if (tx.req.line_done)
    w.kv("url", std::string_view(tx.uri_raw));
  else if (tx.request_unseen)
    w.kv("url", std::string_view("/libhtp::request_uri_not_seen"));  // as libhtp names it
  header_kv(w, tx.req, "User-Agent", "http_user_agent");
  header_kv(w, tx.req, "X-Forwarded-For", "xff");
  if (const HttpHeader* ct = tx.res.header("Content-Type")) {
    std::string_view v = ct->value;
    v = v.substr(0, v.find(';'));
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    w.kv("http_content_type", v);
  }
  header_kv(w, tx.req, "Referer", "http_refer");
  if (!tx.method.empty()) w.kv("http_method", std::string_view(tx.method));
  if (!tx.req.protocol.empty()) w.kv("protocol", std::string_view(tx.req.protocol));
  if (tx.status_code > 0) w.kv("status", tx.status_code);
  header_kv(w, tx.res, "Location", "redirect");
  w.kv("length", tx.res.message_len);
  w.end_object();
  return out;
}

}  // namespace nsm4::app::http
