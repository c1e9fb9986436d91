#pragma once
// One HTTP/1.1 connection, plain or TLS (the same code for both, as in Beast's
// advanced_server_flex): read a header, check the limits, read the body, hand
// the request to the handler, write its reply (posted back from any thread),
// repeat while keep-alive. Every phase has a deadline (beast::tcp_stream).
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "server/message_convert.h"
#include "server/server_shared.h"
#include "server/tls_context.h"

namespace nsm4::collector::server_detail {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

using PlainStream = beast::tcp_stream;
using TlsStream = net::ssl::stream<beast::tcp_stream>;

struct PeerInfo {
  std::string text;           // "127.0.0.1:53012", "[::1]:53012"
  bool refuse_plain = false;  // plain HTTP from a peer `plain` does not allow: 403
};

// Where a handler's reply goes: the session's strand, once. A handler that
// drops its Respond without calling it gets a 500 sent for it.
template <class S>
class ReplySlot {
 public:
  ReplySlot(std::weak_ptr<S> session, std::shared_ptr<ServerShared> shared)
      : session_(std::move(session)), shared_(std::move(shared)) {}
  ReplySlot(const ReplySlot&) = delete;
  ReplySlot& operator=(const ReplySlot&) = delete;
  ~ReplySlot() {
    if (!done_.load()) deliver(json_error(500, "the request handler did not answer"));
  }

  void deliver(HttpResponse res) {
    if (done_.exchange(true)) return;
    shared_->with_live_io([&] {
      if (auto s = session_.lock())
        net::post(s->executor(),
                  [s, r = std::move(res)]() mutable { s->send_reply(std::move(r)); });
    });
  }

 private:
  std::weak_ptr<S> session_;
  std::shared_ptr<ServerShared> shared_;
  std::atomic<bool> done_{false};
};

template <class Stream>
class Session : public SessionBase {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  Session(std::shared_ptr<ServerShared> shared, ConnectionSlot slot, beast::tcp_stream&& tcp,
          beast::flat_buffer&& buffer, PeerInfo peer)
      : shared_(std::move(shared)),
        slot_(std::move(slot)),
        stream_(make_stream(std::move(tcp), *shared_)),
        buffer_(std::move(buffer)),
        peer_(std::move(peer)) {}

  ~Session() override {
    if (id_) shared_->remove_session(id_);
  }

  // On the connection's strand, right after construction.
  void start() {
    id_ = shared_->add_session(weak_from_this());
    if constexpr (kTls) {
      tcp().expires_after(opt().header_timeout);
      stream_.async_handshake(
          net::ssl::stream_base::server, buffer_.data(),
          [self = self_ptr()](beast::error_code ec, size_t used) { self->on_handshake(ec, used); });
    } else {
      read_next();
    }
  }

  auto executor() { return stream_.get_executor(); }

  void on_server_stop() override {
    net::post(executor(), [self = self_ptr()] {
      self->stopping_ = true;
      if (self->state_ == State::kIdle) self->arm_stop_grace();
    });
  }

  void release_hold() override { hold_.reset(); }

  // The handler's reply, on the strand.
  void send_reply(HttpResponse&& res) {
    hold_.reset();
    if (state_ != State::kHandling) return;
    const bool keep_alive = request_keep_alive_ && !stopping_ && !shared_->stopping.load();
    write(to_beast_response(std::move(res), request_version_, keep_alive), false);
  }

 private:
  enum class State { kHandshake, kIdle, kHeader, kBody, kHandling, kWriting, kClosing };

  static Stream make_stream(beast::tcp_stream&& tcp, ServerShared& shared) {
    if constexpr (kTls)
      return Stream(std::move(tcp), *shared.tls);
    else
      return Stream(std::move(tcp));
  }

  std::shared_ptr<Session> self_ptr() {
    return std::static_pointer_cast<Session>(shared_from_this());
  }
  const ServerOptions& opt() const { return shared_->opt; }
  beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream_); }
  void count(RejectReason r) { shared_->counters.reject(r); }

  void on_handshake(beast::error_code ec, size_t used) {
    if (ec) {
      count(ec == beast::error::timeout ? RejectReason::kTimeout : RejectReason::kTlsHandshake);
      return close();
    }
    buffer_.consume(used);
    client_cn_ = verified_peer_cn(stream_.native_handle());
    read_next();
  }

  // Waits for the first byte of the next request (idle deadline), then reads
  // its header (header deadline): a slow-loris header cannot last longer than
  // header_timeout, a quiet keep-alive connection is closed after idle_timeout.
  void read_next() {
    state_ = State::kIdle;
    if (stopping_ || shared_->stopping.load()) {
      if (!first_request_) return close();
      arm_stop_grace();  // accepted just before stop(): its request may be on the way
    }
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(opt().max_header_bytes));
    parser_->body_limit(opt().max_body_bytes);
    if (buffer_.size() > 0) return read_header();
    tcp().expires_after(first_request_ ? opt().header_timeout : opt().idle_timeout);
    stream_.async_read_some(
        buffer_.prepare(kReadChunk),
        [self = self_ptr()](beast::error_code ec, size_t n) { self->on_first_bytes(ec, n); });
  }

  void on_first_bytes(beast::error_code ec, size_t n) {
    if (ec) {
      // A fresh connection that sends nothing is a slow client; a quiet
      // keep-alive connection simply ends.
      if (ec == beast::error::timeout && first_request_) count(RejectReason::kTimeout);
      return close();
    }
    buffer_.commit(n);
    read_header();
  }

  // While stopping, an idle connection gets linger_timeout to start a request
  // (one sent as stop() began is served, with Connection: close); then it closes.
  void arm_stop_grace() {
    if (stop_grace_) return;
    stop_grace_.emplace(executor());
    stop_grace_->expires_after(opt().linger_timeout);
    stop_grace_->async_wait([weak = weak_from_this()](beast::error_code ec) {
      auto base = weak.lock();
      if (ec || !base) return;
      auto self = std::static_pointer_cast<Session>(base);
      if (self->state_ == State::kIdle) self->close();
    });
  }

  void read_header() {
    state_ = State::kHeader;
    tcp().expires_after(opt().header_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = self_ptr()](beast::error_code ec, size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    first_request_ = false;
    const auto& req = parser_->get();
    request_version_ = req.version();
    request_keep_alive_ = req.keep_alive();
    const auto method = req.method();
    const bool has_length = parser_->content_length().has_value() || parser_->chunked();
    if (!has_length &&
        (method == http::verb::post || method == http::verb::put || method == http::verb::patch)) {
      shared_->counters.requests_total.fetch_add(1, std::memory_order_relaxed);
      count(RejectReason::kLengthRequired);
      return write(error_response(411, "a Content-Length or chunked body is required"), false);
    }
    if (beast::iequals(req[http::field::expect], "100-continue") && !parser_->is_done()) {
      continue_.emplace(http::status::continue_, request_version_);
      tcp().expires_after(opt().body_timeout);
      return http::async_write(stream_, *continue_,
                               [self = self_ptr()](beast::error_code wec, size_t) {
                                 if (wec) return self->close();
                                 self->read_body();
                               });
    }
    read_body();
  }

  void read_body() {
    state_ = State::kBody;
    if (parser_->is_done()) return dispatch();
    tcp().expires_after(opt().body_timeout);
    http::async_read(stream_, buffer_, *parser_, [self = self_ptr()](beast::error_code ec, size_t) {
      if (ec) return self->on_read_error(ec);
      self->dispatch();
    });
  }

  void on_read_error(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      count(RejectReason::kTooLarge);
      return write(error_response(413, "the body is larger than the server's limit"), true);
    }
    if (ec == http::error::header_limit) {
      count(RejectReason::kTooLarge);
      return write(error_response(431, "the header is larger than the server's limit"), true);
    }
    if (ec == beast::error::timeout) {
      count(RejectReason::kTimeout);
      return close();
    }
    if (ec == net::ssl::error::stream_truncated ||
        ec.category() == net::error::get_ssl_category()) {
      count(RejectReason::kTlsHandshake);  // truncated or corrupt TLS records
      return close();
    }
    const bool http_syntax = ec.category() == kHttpErrors.category() &&
                             ec != http::error::end_of_stream && ec != http::error::partial_message;
    if (!http_syntax) return close();  // the peer went away (eof, reset) or stop()
    count(RejectReason::kMalformedRequest);
    write(error_response(400, "malformed HTTP request"), true);
  }

  void dispatch() {
    shared_->counters.requests_total.fetch_add(1, std::memory_order_relaxed);
    if (peer_.refuse_plain) {
      count(RejectReason::kForbidden);
      return write(error_response(403, "plain HTTP is not accepted from this address; use HTTPS"),
                   false);
    }
    state_ = State::kHandling;
    tcp().expires_never();
    hold_ = self_ptr();
    auto slot = std::make_shared<ReplySlot<Session>>(self_ptr(), shared_);
    HttpRequest req = to_http_request(parser_->release(), peer_.text, client_cn_, kTls);
    try {
      shared_->handler.handle(std::move(req),
                              [slot](HttpResponse res) { slot->deliver(std::move(res)); });
    } catch (const std::exception& e) {
      slot->deliver(json_error(500, std::string("request handler failed: ") + e.what()));
    } catch (...) {
      slot->deliver(json_error(500, "request handler failed"));
    }
  }

  BeastResponse error_response(int status, const std::string& message) {
    return to_beast_response(json_error(status, message), request_version_ ? request_version_ : 11,
                             false);
  }

  // `unread_input`: the request was not read to its end; discard what the
  // client still sends for a while, so that it sees the reply and not a reset.
  void write(BeastResponse&& res, bool unread_input) {
    state_ = State::kWriting;
    res_ = std::move(res);
    tcp().expires_after(opt().body_timeout);
    http::async_write(stream_, res_,
                      [self = self_ptr(), unread_input](beast::error_code ec, size_t) {
                        self->on_write(ec, unread_input);
                      });
  }

  void on_write(beast::error_code ec, bool unread_input) {
    if (ec) return close();
    const bool keep_alive = res_.keep_alive() && !unread_input;
    res_ = {};
    if (keep_alive) return read_next();
    finish(unread_input);
  }

  // Closes after a reply that said "Connection: close".
  void finish(bool unread_input) {
    state_ = State::kClosing;
    tcp().expires_after(opt().linger_timeout);
    if constexpr (kTls) {
      if (!unread_input)
        return stream_.async_shutdown([self = self_ptr()](beast::error_code) { self->close(); });
    } else {
      beast::error_code ignored;
      tcp().socket().shutdown(net::socket_base::shutdown_send, ignored);
    }
    discard_input();
  }

  void discard_input() {
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = self_ptr()](beast::error_code ec, size_t) {
                              if (ec) return self->close();
                              self->discard_input();
                            });
  }

  void close() {
    state_ = State::kClosing;
    beast::error_code ignored;
    tcp().socket().shutdown(net::socket_base::shutdown_both, ignored);
    tcp().close();
  }

  static constexpr size_t kReadChunk = 16 * 1024;
  inline static const beast::error_code kHttpErrors = http::error::bad_method;

  std::shared_ptr<ServerShared> shared_;
  ConnectionSlot slot_;
  Stream stream_;
  beast::flat_buffer buffer_;
  PeerInfo peer_;
  uint64_t id_ = 0;
  State state_ = kTls ? State::kHandshake : State::kIdle;
  bool stopping_ = false;
  bool first_request_ = true;
  std::string client_cn_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  unsigned request_version_ = 11;
  bool request_keep_alive_ = false;
  BeastResponse res_;
  std::shared_ptr<Session> hold_;  // set while the handler has not answered
  std::optional<net::steady_timer> stop_grace_;
};

}  // namespace nsm4::collector::server_detail
