#include "server/message_convert.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>

#include <cctype>

namespace nsm4::collector::server_detail {

namespace http = boost::beast::http;

HttpRequest to_http_request(BeastRequest&& msg, std::string peer, std::string client_cert_cn,
                            bool tls) {
  HttpRequest req;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  for (const auto& field : msg) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto [it, inserted] = req.headers.try_emplace(std::move(name), field.value());
    if (!inserted) {
      it->second += ", ";
      it->second.append(field.value().data(), field.value().size());
    }
  }
  req.body = std::move(msg.body());
  req.peer = std::move(peer);
  req.client_cert_cn = std::move(client_cert_cn);
  req.tls = tls;
  return req;
}

BeastResponse to_beast_response(HttpResponse&& res, unsigned version, bool keep_alive) {
  BeastResponse out;
  out.version(version);
  const bool valid_status = res.status >= 100 && res.status <= 999;
  out.result(valid_status ? static_cast<unsigned>(res.status) : 500u);
  out.set(http::field::server, "nsm4-collector");
  if (!res.content_type.empty()) out.set(http::field::content_type, res.content_type);
  for (auto& [name, value] : res.headers) {
    if (boost::beast::iequals(name, "connection")) {
      if (boost::beast::iequals(value, "close")) keep_alive = false;
      continue;
    }
    out.set(name, value);
  }
  out.body() = std::move(res.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

}  // namespace nsm4::collector::server_detail
