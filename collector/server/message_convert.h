#pragma once
// Beast messages <-> the collector's plain HttpRequest/HttpResponse.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>

#include "http/http_types.h"

namespace nsm4::collector::server_detail {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

// Header names lower-cased; repeated headers joined with ", " (RFC 9110 5.3).
HttpRequest to_http_request(BeastRequest&& msg, std::string peer, std::string client_cert_cn,
                            bool tls);

// A "Connection: close" from the handler turns keep-alive off; a status
// outside 100-999 becomes 500.
BeastResponse to_beast_response(HttpResponse&& res, unsigned version, bool keep_alive);

}  // namespace nsm4::collector::server_detail
