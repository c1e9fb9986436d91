#pragma once
// The forwarder's HTTP/1.1 client: one keep-alive connection to the collector
// over TLS (or plain HTTP for loopback tests). A facade: Boost.Beast stays in
// https_client.cpp. Not thread-safe except cancel(); one request at a time.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "output/forward_url.h"

namespace nsm4::forward {

struct HttpsClientOptions {
  ForwardUrl url;
  bool verify = true;       // verify the server's certificate chain and host name
  std::string ca_file;      // PEM CA bundle; "" = the system store
  std::string client_cert;  // PEM chain presented to the server (mTLS), optional
  std::string client_key;
  std::string bearer_token;  // Authorization: Bearer ..., optional
  std::string user_agent = "nsm4-agent";
  std::chrono::milliseconds connect_timeout{10000};  // resolve + connect + TLS handshake
  std::chrono::milliseconds request_timeout{60000};  // write the request, read the reply
  size_t max_reply_bytes = 64 * 1024;
};

struct HttpRequest {
  std::string_view target;
  std::string_view content_type;
  std::string_view content_encoding;  // "" = none
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view body;
};

struct HttpReply {
  int status = 0;     // 0: no reply (see error)
  std::string body;   // up to max_reply_bytes
  std::string error;  // transport or TLS failure, "" when a reply arrived
};

class HttpsClient {
 public:
  // Loads the CA, client certificate and key. nullptr with `error` set when
  // they cannot be used.
  static std::unique_ptr<HttpsClient> create(const HttpsClientOptions& opt, std::string& error);
  ~HttpsClient();
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  // Sends one request on the kept-alive connection (connecting first when
  // needed; a stale kept-alive connection is replaced once).
  HttpReply post(const HttpRequest& req);
  // Aborts the request in progress and every later one; any thread.
  void cancel();
  bool connected() const;

 private:
  struct Impl;
  explicit HttpsClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace nsm4::forward
