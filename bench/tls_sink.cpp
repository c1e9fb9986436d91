// The ceiling for bench/collector_ingest.py: a TLS server that reads HTTP/1.1
// requests, discards their bodies and answers each with a fixed tiny 200, so
// that a client sees the same request/response pattern as with the collector
// (keep-alive connections, one request in flight per connection). One thread,
// Boost.Asio + OpenSSL with the same TLS settings as the collector's server
// (TLS >= 1.2, no compression, server cipher preference). No parsing beyond
// the end of the headers and Content-Length; nothing is stored.
//
//   tls_sink --cert FILE --key FILE [--listen 127.0.0.1:PORT]
//
// Prints "listening <port>" once ready. On SIGINT/SIGTERM prints one line,
// "requests N body_bytes N wire_bytes N", and exits.
#include <openssl/ssl.h>
#include <strings.h>

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

constexpr std::string_view kReply =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
constexpr size_t kReadSize = 64 * 1024;
constexpr size_t kMaxHeaderBytes = 64 * 1024;

struct Totals {
  uint64_t requests = 0;
  uint64_t body_bytes = 0;
  uint64_t wire_bytes = 0;  // decrypted request bytes: headers and bodies
};

// Value of Content-Length in a header block (case-insensitive name); 0 when absent.
uint64_t content_length(std::string_view headers) {
  constexpr std::string_view kName = "content-length:";
  for (size_t pos = 0; pos < headers.size();) {
    size_t eol = headers.find("\r\n", pos);
    if (eol == std::string_view::npos) eol = headers.size();
    const std::string_view line = headers.substr(pos, eol - pos);
    if (line.size() > kName.size() && strncasecmp(line.data(), kName.data(), kName.size()) == 0) {
      return std::strtoull(std::string(line.substr(kName.size())).c_str(), nullptr, 10);
    }
    pos = eol + 2;
  }
  return 0;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, ssl::context& ctx, Totals& totals)
      : stream_(std::move(socket), ctx), totals_(totals), buf_(kReadSize) {}

  void start() {
    stream_.async_handshake(ssl::stream_base::server,
                            [self = shared_from_this()](const boost::system::error_code& ec) {
                              if (!ec) self->read();
                            });
  }

 private:
  void read() {
    stream_.async_read_some(net::buffer(buf_), [self = shared_from_this()](
                                                   const boost::system::error_code& ec, size_t n) {
      if (ec) return;
      self->consume(std::string_view(self->buf_.data(), n));
    });
  }

  // Walks the decrypted bytes: headers until CRLFCRLF, then Content-Length bytes
  // of body; each complete request queues one reply.
  void consume(std::string_view data) {
    totals_.wire_bytes += data.size();
    size_t replies = 0;
    while (!data.empty()) {
      if (body_left_ > 0) {
        const size_t take = std::min<uint64_t>(body_left_, data.size());
        body_left_ -= take;
        totals_.body_bytes += take;
        data.remove_prefix(take);
        if (body_left_ == 0) ++replies;
        continue;
      }
      header_.append(data);
      const size_t end = header_.find("\r\n\r\n");
      if (end == std::string::npos) {
        if (header_.size() > kMaxHeaderBytes) return;  // not HTTP: drop the connection
        data = {};
        break;
      }
      const size_t header_bytes_in_data = end + 4 - (header_.size() - data.size());
      body_left_ = content_length(std::string_view(header_).substr(0, end));
      header_.clear();
      data.remove_prefix(header_bytes_in_data);
      if (body_left_ == 0) ++replies;
    }
    totals_.requests += replies;
    if (replies == 0) {
      read();
      return;
    }
    out_.clear();
    for (size_t i = 0; i < replies; ++i) out_.append(kReply);
    net::async_write(stream_, net::buffer(out_),
                     [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                       if (!ec) self->read();
                     });
  }

  ssl::stream<tcp::socket> stream_;
  Totals& totals_;
  std::vector<char> buf_;
  std::string header_;
  std::string out_;
  uint64_t body_left_ = 0;
};

void accept(tcp::acceptor& acceptor, ssl::context& ctx, Totals& totals) {
  acceptor.async_accept([&](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec) return;
    socket.set_option(tcp::no_delay(true));
    std::make_shared<Session>(std::move(socket), ctx, totals)->start();
    accept(acceptor, ctx, totals);
  });
}

int usage() {
  std::fprintf(stderr, "usage: tls_sink --cert FILE --key FILE [--listen 127.0.0.1:PORT]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string cert;
  std::string key;
  std::string listen = "127.0.0.1:0";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) return usage();
    if (a == "--cert") {
      cert = argv[++i];
    } else if (a == "--key") {
      key = argv[++i];
    } else if (a == "--listen") {
      listen = argv[++i];
    } else {
      return usage();
    }
  }
  const size_t colon = listen.rfind(':');
  if (cert.empty() || key.empty() || colon == std::string::npos) return usage();

  try {
    ssl::context ctx(ssl::context::tls_server);
    SSL_CTX* native = ctx.native_handle();
    SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
    SSL_CTX_set_options(
        native, SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
    ctx.use_certificate_chain_file(cert);
    ctx.use_private_key_file(key, ssl::context::pem);

    net::io_context ioc(1);
    const tcp::endpoint endpoint(net::ip::make_address(listen.substr(0, colon)),
                                 static_cast<uint16_t>(std::stoi(listen.substr(colon + 1))));
    tcp::acceptor acceptor(ioc, endpoint);
    Totals totals;
    accept(acceptor, ctx, totals);
    net::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) { ioc.stop(); });
    std::printf("listening %u\n", static_cast<unsigned>(acceptor.local_endpoint().port()));
    std::fflush(stdout);
    ioc.run();
    std::printf("requests %llu body_bytes %llu wire_bytes %llu\n",
                static_cast<unsigned long long>(totals.requests),
                static_cast<unsigned long long>(totals.body_bytes),
                static_cast<unsigned long long>(totals.wire_bytes));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tls_sink: %s\n", e.what());
    return 1;
  }
  return 0;
}
