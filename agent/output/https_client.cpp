// The only agent file that includes Boost.Beast: one TLS (or plain) HTTP/1.1
// connection, kept alive across requests. Every operation is asynchronous on
// a private io_context run to completion by the calling thread, so that the
// stream's timers bound it and cancel() can stop it from another thread.
#include "output/https_client.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <optional>

namespace nsm4::forward {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {

std::string host_header(const ForwardUrl& u) {
  const bool v6 = u.host.find(':') != std::string::npos;
  std::string h = v6 ? "[" + u.host + "]" : u.host;
  const bool default_port = (u.tls && u.port == "443") || (!u.tls && u.port == "80");
  if (!default_port) h += ":" + u.port;
  return h;
}

}  // namespace

struct HttpsClient::Impl {
  HttpsClientOptions opt;
  net::io_context ioc;
  std::optional<ssl::context> tls_ctx;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  std::optional<beast::tcp_stream> plain;
  beast::flat_buffer buffer;
  bool is_connected = false;
  std::atomic<bool> cancelled{false};

  // The result of the operation being run.
  beast::error_code op_ec;
  bool op_done = false;

  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

  // Closes the socket: pending operations complete with operation_aborted.
  void close_socket() {
    if (tls || plain) {
      beast::error_code ignored;
      lowest().socket().close(ignored);
    }
  }

  void close() {
    close_socket();
    tls.reset();
    plain.reset();
    buffer.clear();
    is_connected = false;
  }

  // Runs the io_context until the started operation completes (its timer
  // bounds it). When cancel() stopped the context first, the connection is
  // closed and the aborted handler is let run before returning.
  beast::error_code run() {
    ioc.run();
    if (!op_done) {
      // The stream must outlive its aborted handlers: close, flush, then drop.
      close_socket();
      ioc.restart();
      ioc.run();
      close();
      return net::error::operation_aborted;
    }
    return op_ec;
  }

  // Prepares the context for one operation; false when cancelled.
  bool begin() {
    ioc.restart();
    op_done = false;
    op_ec = {};
    return !cancelled.load();
  }

  auto done_handler() {
    return [this](beast::error_code ec, auto&&...) {
      op_ec = ec;
      op_done = true;
    };
  }

  std::string connect() {
    close();
    const auto& u = opt.url;
    // Resolve, bounded by the connect timeout (the resolver has no timer).
    tcp::resolver resolver(ioc);
    net::steady_timer timer(ioc);
    tcp::resolver::results_type endpoints;
    if (!begin()) return "cancelled";
    resolver.async_resolve(u.host, u.port,
                           [&](beast::error_code ec, tcp::resolver::results_type r) {
                             op_ec = ec;
                             op_done = true;
                             endpoints = std::move(r);
                             timer.cancel();
                           });
    timer.expires_after(opt.connect_timeout);
    timer.async_wait([&](beast::error_code ec) {
      if (!ec) resolver.cancel();
    });
    ioc.run();
    if (!op_done || cancelled.load()) {
      resolver.cancel();
      timer.cancel();
      ioc.restart();
      ioc.run();
      return "cancelled";
    }
    if (op_ec) return "resolving " + u.host + ": " + op_ec.message();

    if (u.tls) {
      tls.emplace(ioc, *tls_ctx);
      SSL* ssl_handle = tls->native_handle();
      if (!u.host_is_ip) SSL_set_tlsext_host_name(ssl_handle, u.host.c_str());
      if (opt.verify) {
        X509_VERIFY_PARAM* param = SSL_get0_param(ssl_handle);
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        const int ok = u.host_is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, u.host.c_str())
                                    : X509_VERIFY_PARAM_set1_host(param, u.host.c_str(), 0);
        if (ok != 1) return "cannot set the expected host name " + u.host;
      }
    } else {
      plain.emplace(ioc);
    }
    if (!begin()) return "cancelled";
    lowest().expires_after(opt.connect_timeout);
    lowest().async_connect(endpoints, done_handler());
    if (auto ec = run()) {
      close();
      return "connecting to " + host_header(u) + ": " + ec.message();
    }
    if (tls) {
      if (!begin()) return "cancelled";
      lowest().expires_after(opt.connect_timeout);
      tls->async_handshake(ssl::stream_base::client, done_handler());
      if (auto ec = run()) {
        std::string why = ec.message();
        if (tls) {
          const long vr = SSL_get_verify_result(tls->native_handle());
          if (vr != X509_V_OK)
            why = std::string("certificate verification failed: ") +
                  X509_verify_cert_error_string(vr);
        }
        close();
        return "TLS handshake with " + host_header(u) + ": " + why;
      }
    }
    is_connected = true;
    return "";
  }

  template <typename Stream>
  HttpReply exchange(Stream& stream, const HttpRequest& r, bool& reply_started) {
    HttpReply reply;
    http::request<http::string_body> req{http::verb::post, std::string(r.target), 11};
    req.set(http::field::host, host_header(opt.url));
    req.set(http::field::user_agent, opt.user_agent);
    if (!opt.bearer_token.empty())
      req.set(http::field::authorization, "Bearer " + opt.bearer_token);
    req.set(http::field::content_type, std::string(r.content_type));
    if (!r.content_encoding.empty())
      req.set(http::field::content_encoding, std::string(r.content_encoding));
    for (const auto& [name, value] : r.headers) req.set(name, value);
    req.keep_alive(true);
    req.body().assign(r.body.data(), r.body.size());
    req.prepare_payload();

    if (!begin()) {
      reply.error = "cancelled";
      return reply;
    }
    lowest().expires_after(opt.request_timeout);
    http::async_write(stream, req, done_handler());
    if (auto ec = run()) {
      close();
      reply.error = "sending the request: " + ec.message();
      return reply;
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(opt.max_reply_bytes);
    if (!begin()) {
      reply.error = "cancelled";
      return reply;
    }
    lowest().expires_after(opt.request_timeout);
    http::async_read(stream, buffer, parser, done_handler());
    const auto ec = run();
    reply_started = parser.got_some();
    if (ec && !(ec == http::error::body_limit && parser.is_header_done())) {
      close();
      reply.error = "reading the reply: " + ec.message();
      return reply;
    }
    reply.status = static_cast<int>(parser.get().result_int());
    reply.body = parser.get().body();
    if (ec || !parser.get().keep_alive()) close();
    return reply;
  }

  HttpReply attempt(const HttpRequest& r, bool& reply_started) {
    if (!is_connected) {
      if (auto e = connect(); !e.empty()) {
        HttpReply reply;
        reply.error = e;
        return reply;
      }
    }
    return tls ? exchange(*tls, r, reply_started) : exchange(*plain, r, reply_started);
  }
};

HttpsClient::HttpsClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpsClient::~HttpsClient() {
  if (impl_) impl_->close();
}

std::unique_ptr<HttpsClient> HttpsClient::create(const HttpsClientOptions& opt,
                                                 std::string& error) {
  auto impl = std::make_unique<Impl>();
  impl->opt = opt;
  if (opt.url.tls) {
    try {
      impl->tls_ctx.emplace(ssl::context::tls_client);
      auto& ctx = *impl->tls_ctx;
      SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
      if (opt.verify) {
        ctx.set_verify_mode(ssl::verify_peer);
        if (opt.ca_file.empty())
          ctx.set_default_verify_paths();
        else
          ctx.load_verify_file(opt.ca_file);
      } else {
        ctx.set_verify_mode(ssl::verify_none);
      }
      if (!opt.client_cert.empty()) {
        ctx.use_certificate_chain_file(opt.client_cert);
        ctx.use_private_key_file(opt.client_key.empty() ? opt.client_cert : opt.client_key,
                                 ssl::context::pem);
      }
    } catch (const boost::system::system_error& e) {
      error = std::string("TLS setup: ") + e.what();
      return nullptr;
    }
  }
  return std::unique_ptr<HttpsClient>(new HttpsClient(std::move(impl)));
}

HttpReply HttpsClient::post(const HttpRequest& req) {
  const bool reused = impl_->is_connected;
  bool reply_started = false;
  HttpReply r = impl_->attempt(req, reply_started);
  // A kept-alive connection the server has since closed fails before any
  // reply: reconnect once. (A resent batch is deduplicated by the collector.)
  if (r.status == 0 && reused && !reply_started && !impl_->cancelled.load()) {
    reply_started = false;
    r = impl_->attempt(req, reply_started);
  }
  return r;
}

void HttpsClient::cancel() {
  if (!impl_->cancelled.exchange(true)) impl_->ioc.stop();
}

bool HttpsClient::connected() const {
  return impl_->is_connected;
}

}  // namespace nsm4::forward
