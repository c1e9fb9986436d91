#pragma once
// The server's OpenSSL context and the client-certificate name (Asio SSL; used
// only inside server/).
#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

#include "server/server.h"

namespace nsm4::collector::server_detail {

// TLS 1.2+ with the certificate chain and key of `opt`; client certificates
// are requested and verified against opt.tls_client_ca when set (a client
// without one may still authenticate with a token). Throws std::runtime_error
// naming the file and OpenSSL's reason.
std::unique_ptr<boost::asio::ssl::context> make_server_tls_context(const ServerOptions& opt);

// The CN of the peer's certificate when it was presented and verified, else "".
std::string verified_peer_cn(SSL* ssl);

}  // namespace nsm4::collector::server_detail
