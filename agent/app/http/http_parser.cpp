#include "app/http/http_parser.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <string>
#include <string_view>

#include "app/http/http_eve.h"
#include "app/http/http_probe.h"
#include "app/http/http_text.h"
#include "app/http/http_tx.h"
#include "app/http/http_uri.h"

namespace nsm4::app::http {
namespace {

constexpr size_t kNoHeader = static_cast<size_t>(-1);

enum class St : uint8_t {
  kLine,  // waiting for the request or response line
  kHeaders,
  kBodyLength,
  kChunkSize,
  kChunkData,
  kChunkDataEnd,  // the line end after a chunk's data
  kTrailers,
  kBodyClose,    // response body until the connection closes
  kFinalize,     // request: is the next line a new request or more body?
  kConnectWait,  // request: CONNECT sent, bytes held until its response
  kResync,       // after a gap: skipping to the next start line
  kTunnel,       // CONNECT 2xx or 101: the rest is not HTTP
  kClosed,
};

// One direction's parsing state.
struct Side {
  St st = St::kLine;
  std::string line;  // the line being gathered, line end included
  bool line_overflow = false;
  uint64_t left = 0;   // body or chunk bytes still expected
  uint64_t tx_id = 0;  // the transaction this side works on
  uint32_t header_count = 0;
  bool too_many_headers = false;
  bool header_block_full = false;
  size_t last_header = kNoHeader;  // the header a folded line continues
  std::string pending;             // kConnectWait: held bytes
};

std::string_view strip_eol(std::string_view s) {
  if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

bool icontains(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i)
    if (iequals(hay.substr(i, needle.size()), needle)) return true;
  return false;
}

bool is_token_char(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u <= 32 || u >= 127) return false;
  return std::string_view("()<>@,;:\\\"/[]?={}").find(c) == std::string_view::npos;
}

std::string_view first_token(std::string_view line) {
  size_t b = 0;
  while (b < line.size() && is_ws(line[b])) ++b;
  size_t e = b;
  while (e < line.size() && !is_ws(line[e])) ++e;
  return line.substr(b, e - b);
}

bool valid_protocol(std::string_view p) {
  return p.size() == 8 && p.substr(0, 5) == "HTTP/" &&
         std::isdigit(static_cast<unsigned char>(p[5])) && p[6] == '.' &&
         std::isdigit(static_cast<unsigned char>(p[7]));
}

class HttpParser final : public AppParser {
 public:
  explicit HttpParser(const HttpConfig& cfg) : cfg_(cfg) {}

  uint8_t proto() const override { return kProtoHttp; }
  void parse(Dir dir, std::span<const uint8_t> data, Timestamp ts) override;
  void gap(Dir dir, uint32_t len) override;
  void eof(Dir dir) override;
  size_t tx_count() const override { return txs_.size(); }
  AppTx& tx_at(size_t i) override { return *txs_[i]; }
  void take_logs(std::vector<AppLog>& out, bool flow_end) override;
  // Suricata's alert "http" object: the EVE http record's fields, as far as
  // the transaction got.
  std::string alert_metadata(const AppTx& tx) const override {
    const auto* h = dynamic_cast<const HttpTx*>(&tx);
    return h != nullptr ? eve_body(*h) : std::string();
  }
  void take_events(std::vector<AppEvent>& out) override;
  void prune() override;
  size_t memory() const override;
  bool tunneled() const { return tunneled_; }
  bool change_requested() const { return change_requested_; }
  std::string take_tunnel_bytes(int d) {
    std::string out = std::move(tunnel_bytes_[d]);
    tunnel_bytes_[d].clear();
    return out;
  }

 private:
  void parse_bytes(int d, std::string_view in);
  bool gather_line(int d, std::string_view in, size_t& pos);
  void handle_line(int d, std::string_view raw, bool more);

  void request_line(std::string_view raw, bool more);
  void response_line(std::string_view raw);
  void header_line(int d, std::string_view raw, bool more);
  void add_header(int d, HttpMessage& m, std::string_view name, std::string_view value);
  void end_headers(int d, bool more);
  void request_headers_done(HttpTx& tx);
  void response_headers_done(HttpTx& tx);
  void chunk_size_line(int d, std::string_view raw);
  void finalize_line(std::string_view raw, bool more);
  void resync_line(int d, std::string_view raw, bool more);

  void start_body(int d, HttpTx& tx);
  void body(int d, std::string_view bytes);
  void end_body(int d);
  void finish_request();
  void finish_response();
  void tunnel();
  void keep_tunnel_bytes(int d, std::string_view bytes);
  void give_up(int d);

  HttpTx& tx_for(int d);
  HttpTx* current(int d);
  void new_tx();
  void event(int d, std::string_view request_name, std::string_view response_name);
  void event(int d, std::string_view name) { event(d, name, name); }
  HttpMessage& msg(HttpTx& tx, int d) { return d == 0 ? tx.req : tx.res; }

  HttpConfig cfg_;
  std::deque<std::unique_ptr<HttpTx>> txs_;
  uint64_t next_id_ = 0;
  Side side_[2];
  std::vector<AppEvent> events_;
  bool tunneled_ = false;
  bool change_requested_ = false;
  std::string tunnel_bytes_[2];  // with change_requested_: bytes after the tunnel began
};

void HttpParser::event(int d, std::string_view request_name, std::string_view response_name) {
  events_.push_back(
      AppEvent{d == 0 ? request_name : response_name, static_cast<Dir>(d), side_[d].tx_id});
}

void HttpParser::new_tx() {
  if (txs_.size() >= cfg_.max_pending_txs) {
    // Give up on the oldest transaction the request side is done with.
    for (auto& t : txs_) {
      if (t->tx_id >= side_[0].tx_id) break;
      if (t->complete[0] && t->complete[1]) continue;
      t->complete[0] = t->complete[1] = true;
      ++t->revision;
      if (side_[1].tx_id == t->tx_id) {
        side_[1].tx_id++;
        side_[1].st = St::kResync;
        side_[1].line.clear();
      }
      break;
    }
  }
  auto tx = std::make_unique<HttpTx>();
  tx->tx_id = next_id_++;
  txs_.push_back(std::move(tx));
}

HttpTx& HttpParser::tx_for(int d) {
  Side& s = side_[d];
  uint64_t base = txs_.empty() ? next_id_ : txs_.front()->tx_id;
  if (s.tx_id < base) s.tx_id = base;  // that one was pruned: move on
  while (next_id_ <= s.tx_id) new_tx();
  base = txs_.front()->tx_id;
  if (s.tx_id < base) s.tx_id = base;
  return *txs_[s.tx_id - base];
}

HttpTx* HttpParser::current(int d) {
  uint64_t id = side_[d].tx_id;
  if (txs_.empty() || id < txs_.front()->tx_id || id >= next_id_) return nullptr;
  return txs_[id - txs_.front()->tx_id].get();
}

void HttpParser::parse(Dir dir, std::span<const uint8_t> data, Timestamp ts) {
  (void)ts;
  parse_bytes(static_cast<int>(dir),
              std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
}

void HttpParser::parse_bytes(int d, std::string_view in) {
  Side& s = side_[d];
  size_t pos = 0;
  for (;;) {
    // libhtp completes a request when no more data follows it in this chunk.
    if (s.st == St::kFinalize && s.line.empty() && pos == in.size()) finish_request();
    if (pos >= in.size()) return;
    switch (s.st) {
      case St::kTunnel:
        if (change_requested_) keep_tunnel_bytes(d, in.substr(pos));
        return;
      case St::kClosed:
        return;
      case St::kConnectWait: {
        size_t room =
            cfg_.max_line_bytes > s.pending.size() ? cfg_.max_line_bytes - s.pending.size() : 0;
        s.pending.append(in.substr(pos, std::min(room, in.size() - pos)));
        return;
      }
      case St::kBodyLength:
      case St::kChunkData: {
        size_t n = static_cast<size_t>(std::min<uint64_t>(s.left, in.size() - pos));
        body(d, in.substr(pos, n));
        pos += n;
        s.left -= n;
        if (s.left == 0) {
          if (s.st == St::kChunkData)
            s.st = St::kChunkDataEnd;
          else
            end_body(d);
        }
        break;
      }
      case St::kBodyClose:
        body(d, in.substr(pos));
        pos = in.size();
        break;
      default: {
        if (!gather_line(d, in, pos)) return;
        std::string line = std::move(s.line);
        s.line.clear();
        s.line_overflow = false;
        handle_line(d, line, pos < in.size());
        break;
      }
    }
  }
}

bool HttpParser::gather_line(int d, std::string_view in, size_t& pos) {
  Side& s = side_[d];
  size_t lf = in.find('\n', pos);
  size_t end = lf == std::string_view::npos ? in.size() : lf + 1;
  size_t n = end - pos;
  size_t room = cfg_.max_line_bytes > s.line.size() ? cfg_.max_line_bytes - s.line.size() : 0;
  if (n > room) {
    if (!s.line_overflow) event(d, "REQUEST_FIELD_TOO_LONG", "RESPONSE_FIELD_TOO_LONG");
    s.line_overflow = true;
    s.line.append(in.substr(pos, room));
    if (lf != std::string_view::npos) s.line.push_back('\n');
  } else {
    s.line.append(in.substr(pos, n));
  }
  pos = end;
  return lf != std::string_view::npos;
}

void HttpParser::handle_line(int d, std::string_view raw, bool more) {
  Side& s = side_[d];
  switch (s.st) {
    case St::kLine:
      if (d == 0)
        request_line(raw, more);
      else
        response_line(raw);
      break;
    case St::kHeaders:
      header_line(d, raw, more);
      break;
    case St::kChunkSize:
      chunk_size_line(d, raw);
      break;
    case St::kChunkDataEnd:
      if (HttpTx* tx = current(d)) msg(*tx, d).message_len += raw.size();
      if (strip_eol(raw).empty())
        s.st = St::kChunkSize;
      else
        chunk_size_line(d, raw);  // a missing line end: take it as the next size
      break;
    case St::kTrailers:
      if (HttpTx* tx = current(d)) msg(*tx, d).message_len += raw.size();
      if (strip_eol(raw).empty()) end_body(d);
      break;
    case St::kFinalize:
      finalize_line(raw, more);
      break;
    case St::kResync:
      resync_line(d, raw, more);
      break;
    default:
      break;
  }
}

void HttpParser::request_line(std::string_view raw, bool more) {
  Side& s = side_[0];
  std::string_view line = strip_eol(raw);
  if (trim(line).empty()) return;  // empty lines before a request are ignored
  HttpTx& tx = tx_for(0);
  if (is_ws(line.front())) {
    event(0, "REQUEST_LINE_LEADING_WHITESPACE");
    while (!line.empty() && is_ws(line.front())) line.remove_prefix(1);
  }
  size_t m_end = 0;
  while (m_end < line.size() && !is_ws(line[m_end])) ++m_end;
  tx.method = std::string(line.substr(0, m_end));
  if (m_end < line.size() && line[m_end] != ' ') event(0, "METHOD_DELIM_NON_COMPLIANT");
  std::string_view rest = trim(line.substr(m_end));
  std::string_view uri = rest;
  std::string_view protocol;
  size_t last_ws = rest.find_last_of(" \t");
  if (last_ws != std::string_view::npos) {
    std::string_view cand = rest.substr(last_ws + 1);
    if (cand.size() >= 4 && iequals(cand.substr(0, 4), "HTTP")) {
      protocol = cand;
      uri = trim(rest.substr(0, last_ws));
      if (rest[last_ws] != ' ') event(0, "URI_DELIM_NON_COMPLIANT");
    }
  }
  tx.req.line = std::string(line);
  tx.req.protocol = std::string(protocol);
  tx.uri_raw = std::string(uri);
  const bool connect = tx.method == "CONNECT";
  tx.uri_norm = normalize_uri(uri, connect);
  UriParts parts = split_uri(uri, connect);
  if (!parts.authority.empty()) {
    HostPort hp = parse_authority(parts.authority);
    tx.hostname = hp.host;
    tx.port = hp.port;
    size_t at = parts.authority.rfind('@');
    tx.host_raw = std::string(at == std::string_view::npos ? parts.authority
                                                           : parts.authority.substr(at + 1));
  }
  if (tx.method.empty() || uri.empty()) event(0, "REQUEST_LINE_INVALID");
  tx.req.line_done = true;
  ++tx.revision;
  s.st = St::kHeaders;
  if (protocol.empty()) {
    event(0, "REQUEST_LINE_MISSING_PROTOCOL");
    // HTTP/0.9 when nothing follows the line; else headers anyway (as libhtp-rs).
    if (!more) finish_request();
  }
}

void HttpParser::response_line(std::string_view raw) {
  Side& s = side_[1];
  std::string_view line = strip_eol(raw);
  if (trim(line).empty()) return;
  HttpTx& tx = tx_for(1);
  if (!tx.req.line_done) {
    event(1, "UNABLE_TO_MATCH_RESPONSE_TO_REQUEST");
    // A response without request has its transaction to itself (as
    // libhtp): the next request starts the next one.
    Side& rq = side_[0];
    if (rq.st == St::kLine && rq.tx_id <= tx.tx_id) {
      tx.complete[0] = true;
      tx.request_unseen = true;
      rq.tx_id = tx.tx_id + 1;
    }
  }
  std::string_view t = trim(line);
  if (t.size() < 4 || !iequals(t.substr(0, 4), "HTTP")) {
    // No status line (an HTTP/0.9 response): all of it is body.
    start_body(1, tx);
    s.st = St::kBodyClose;
    body(1, raw);
    return;
  }
  std::string_view proto = first_token(t);
  std::string_view rest = trim(t.substr(proto.size()));
  std::string_view status = first_token(rest);
  std::string_view reason = trim(rest.substr(status.size()));
  if (!valid_protocol(proto)) event(1, "RESPONSE_INVALID_PROTOCOL");
  tx.res.line = std::string(line);
  tx.res.protocol = std::string(proto);
  tx.status = std::string(status);
  tx.reason = std::string(reason);
  tx.status_code = -1;
  if (status.size() == 3 &&
      std::all_of(status.begin(), status.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
      status[0] != '0')
    tx.status_code = (status[0] - '0') * 100 + (status[1] - '0') * 10 + (status[2] - '0');
  else
    event(1, "RESPONSE_INVALID_STATUS");
  tx.res.line_done = true;
  ++tx.revision;
  s.st = St::kHeaders;
}

void HttpParser::header_line(int d, std::string_view raw, bool more) {
  Side& s = side_[d];
  HttpTx& tx = tx_for(d);
  HttpMessage& m = msg(tx, d);
  if (m.headers_raw.size() + raw.size() <= cfg_.max_header_bytes) {
    m.headers_raw.append(raw);
  } else if (!s.header_block_full) {
    s.header_block_full = true;
    event(d, "REQUEST_FIELD_TOO_LONG", "RESPONSE_FIELD_TOO_LONG");
  }
  std::string_view line = strip_eol(raw);
  if (line.empty()) {
    end_headers(d, more);
    return;
  }
  if (is_ws(line.front())) {
    if (s.last_header != kNoHeader && s.last_header < m.headers.size()) {
      std::string& v = m.headers[s.last_header].value;
      std::string_view more_value = trim(line);
      if (!more_value.empty()) {
        if (!v.empty()) v.push_back(' ');
        v.append(more_value);
      }
      return;
    }
    event(d, "INVALID_REQUEST_FIELD_FOLDING", "INVALID_RESPONSE_FIELD_FOLDING");
    line = trim(line);
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    event(d, "REQUEST_FIELD_MISSING_COLON", "RESPONSE_FIELD_MISSING_COLON");
    add_header(d, m, trim(line), "");
    return;
  }
  std::string_view name = line.substr(0, colon);
  std::string_view value = trim(line.substr(colon + 1));
  std::string_view tname = trim(name);
  if (tname.size() != name.size() || tname.empty() ||
      !std::all_of(tname.begin(), tname.end(), is_token_char))
    event(d, "REQUEST_HEADER_INVALID", "RESPONSE_HEADER_INVALID");
  add_header(d, m, tname, value);
}

void HttpParser::add_header(int d, HttpMessage& m, std::string_view name, std::string_view value) {
  Side& s = side_[d];
  for (size_t i = 0; i < m.headers.size(); ++i) {
    HttpHeader& h = m.headers[i];
    if (!iequals(h.name, name)) continue;
    if (iequals(name, "Content-Length")) {
      if (trim(h.value) != value)
        event(d, "DUPLICATE_CONTENT_LENGTH_FIELD_IN_REQUEST",
              "DUPLICATE_CONTENT_LENGTH_FIELD_IN_RESPONSE");
    } else {
      h.value.append(", ").append(value);  // repeated headers are joined, as libhtp does
    }
    s.last_header = i;
    return;
  }
  if (++s.header_count > cfg_.max_headers) {
    if (!s.too_many_headers) event(d, "REQUEST_TOO_MANY_HEADERS", "RESPONSE_TOO_MANY_HEADERS");
    s.too_many_headers = true;
    s.last_header = kNoHeader;
    return;
  }
  m.headers.push_back(HttpHeader{std::string(name), std::string(value)});
  s.last_header = m.headers.size() - 1;
}

void HttpParser::end_headers(int d, bool more) {
  (void)more;
  Side& s = side_[d];
  s.header_count = 0;
  s.too_many_headers = s.header_block_full = false;
  s.last_header = kNoHeader;
  HttpTx& tx = tx_for(d);
  tx.finish_headers(d);
  ++tx.revision;
  if (d == 0)
    request_headers_done(tx);
  else
    response_headers_done(tx);
}

void HttpParser::request_headers_done(HttpTx& tx) {
  Side& s = side_[0];
  if (const HttpHeader* host = tx.req.header("Host")) {
    HostPort hp = parse_authority(trim(host->value));
    if (tx.hostname.empty()) {
      tx.hostname = hp.host;
      tx.port = hp.port;
      tx.host_raw = host->value;
    } else if (hp.host != tx.hostname) {
      event(0, "HOST_HEADER_AMBIGUOUS");
    }
  } else if (tx.req.protocol == "HTTP/1.1" && tx.hostname.empty()) {
    event(0, "MISSING_HOST_HEADER");
  }
  if (tx.method == "CONNECT") {
    finish_request();  // no body: what follows waits for the response
    return;
  }
  s.st = St::kFinalize;
  if (const HttpHeader* te = tx.req.header("Transfer-Encoding")) {
    if (icontains(te->value, "chunked")) {
      start_body(0, tx);
      s.st = St::kChunkSize;
      return;
    }
    event(0, "INVALID_TRANSFER_ENCODING_VALUE_IN_REQUEST");
  }
  if (const HttpHeader* cl = tx.req.header("Content-Length")) {
    uint64_t n = 0;
    if (!parse_content_length(cl->value, n)) {
      event(0, "INVALID_CONTENT_LENGTH_FIELD_IN_REQUEST");
    } else if (n > 0) {
      start_body(0, tx);
      s.left = n;
      s.st = St::kBodyLength;
    }
  }
}

void HttpParser::response_headers_done(HttpTx& tx) {
  Side& s = side_[1];
  const int code = tx.status_code;
  if (code >= 100 && code < 200 && code != 101) {
    // An interim response (100 Continue): the real one follows for this request.
    if (code == 100 && tx.seen_100) event(1, "100_CONTINUE_ALREADY_SEEN");
    tx.seen_100 = tx.seen_100 || code == 100;
    tx.res.reset();
    tx.status.clear();
    tx.reason.clear();
    tx.status_code = -1;
    s.st = St::kLine;
    return;
  }
  if (code == 101 || (tx.method == "CONNECT" && code >= 200 && code < 300)) {
    if (code != 101 && next_id_ == 1) {
      // As Suricata: only a CONNECT that is the flow's first request.
      change_requested_ = true;
      keep_tunnel_bytes(0, side_[0].pending);
    }
    finish_response();
    tunnel();
    return;
  }
  if (tx.method == "HEAD" || code == 204 || code == 304) {
    finish_response();
    return;
  }
  if (const HttpHeader* te = tx.res.header("Transfer-Encoding")) {
    if (icontains(te->value, "chunked")) {
      if (tx.res.protocol != "HTTP/1.1") event(1, "RESPONSE_CHUNKED_OLD_PROTO");
      start_body(1, tx);
      s.st = St::kChunkSize;
      return;
    }
    event(1, "INVALID_TRANSFER_ENCODING_VALUE_IN_RESPONSE");
  }
  if (const HttpHeader* cl = tx.res.header("Content-Length")) {
    uint64_t n = 0;
    if (parse_content_length(cl->value, n)) {
      if (n == 0) {
        finish_response();
      } else {
        start_body(1, tx);
        s.left = n;
        s.st = St::kBodyLength;
      }
      return;
    }
    event(1, "INVALID_CONTENT_LENGTH_FIELD_IN_RESPONSE");
  }
  start_body(1, tx);
  s.st = St::kBodyClose;
}

void HttpParser::chunk_size_line(int d, std::string_view raw) {
  Side& s = side_[d];
  HttpTx& tx = tx_for(d);
  if (s.st == St::kChunkSize) msg(tx, d).message_len += raw.size();
  std::string_view line = strip_eol(raw);
  if (trim(line).empty()) {
    s.st = St::kChunkSize;
    return;
  }
  uint64_t size = 0;
  bool ext = false;
  if (!parse_chunk_size(line, size, ext)) {
    event(d, "INVALID_REQUEST_CHUNK_LEN", "INVALID_RESPONSE_CHUNK_LEN");
    if (d == 0) {
      give_up(0);
    } else {
      s.st = St::kBodyClose;  // the rest of the response, as sent
      body(1, raw);
    }
    return;
  }
  if (ext) event(d, "REQUEST_CHUNK_EXTENSION", "RESPONSE_CHUNK_EXTENSION");
  s.left = size;
  s.st = size == 0 ? St::kTrailers : St::kChunkData;
}

void HttpParser::finalize_line(std::string_view raw, bool more) {
  std::string_view token = first_token(strip_eol(raw));
  if (!token.empty() && is_known_method(token)) {
    finish_request();
    request_line(raw, more);
    return;
  }
  HttpTx* tx = current(0);
  if (tx == nullptr) return;
  if (!token.empty() && !tx->unexpected_body) {
    tx->unexpected_body = true;
    event(0, "REQUEST_BODY_UNEXPECTED");
  }
  body(0, raw);  // libhtp takes what follows a request without body as its body
}

void HttpParser::resync_line(int d, std::string_view raw, bool more) {
  std::string_view line = strip_eol(raw);
  std::string_view token = first_token(line);
  if (d == 0 && is_known_method(token) && line.size() > token.size() && line[token.size()] == ' ') {
    side_[0].st = St::kLine;
    request_line(raw, more);
  } else if (d == 1 && line.starts_with("HTTP/")) {
    side_[1].st = St::kLine;
    response_line(raw);
  }
}

void HttpParser::start_body(int d, HttpTx& tx) {
  HttpMessage& m = msg(tx, d);
  BodyLimits limits;
  limits.keep = d == 0 ? cfg_.request_body_limit : cfg_.response_body_limit;
  limits.decompress = cfg_.decompress;
  limits.max_out = cfg_.decompress_max_size;
  limits.max_ratio = cfg_.decompress_max_ratio;
  const HttpHeader* ce = m.header("Content-Encoding");
  m.body.start(ce ? coding_of(ce->value) : Coding::kIdentity, limits);
  m.body_started = true;
}

void HttpParser::body(int d, std::string_view bytes) {
  HttpTx* tx = current(d);
  if (tx == nullptr || bytes.empty()) return;
  HttpMessage& m = msg(*tx, d);
  if (!m.body_started) start_body(d, *tx);
  const bool failed = m.body.decompress_failed();
  const bool bomb = m.body.bomb();
  m.message_len += bytes.size();
  m.body.add({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
  if (!failed && m.body.decompress_failed()) event(d, "GZIP_DECOMPRESSION_FAILED");
  if (!bomb && m.body.bomb()) event(d, "COMPRESSION_BOMB");
  // Rules see the body when it is complete (finish_request/finish_response)
  // and, for long bodies, every 64 KiB: inspecting it again for each segment
  // would cost time quadratic in its size.
  constexpr uint64_t kBodyInspectStep = 64 * 1024;
  if (m.message_len / kBodyInspectStep != (m.message_len - bytes.size()) / kBodyInspectStep)
    ++tx->revision;
}

void HttpParser::end_body(int d) {
  if (d == 0)
    side_[0].st = St::kFinalize;
  else
    finish_response();
}

void HttpParser::finish_request() {
  Side& s = side_[0];
  HttpTx* tx = current(0);
  bool connect = false;
  if (tx != nullptr) {
    tx->complete[0] = true;
    ++tx->revision;
    connect = tx->method == "CONNECT" && !tx->res.line_done;
  }
  s.tx_id++;
  s.st = side_[1].st == St::kTunnel ? St::kTunnel : connect ? St::kConnectWait : St::kLine;
}

void HttpParser::finish_response() {
  Side& s = side_[1];
  HttpTx* tx = current(1);
  bool failed_connect = false;
  if (tx != nullptr) {
    tx->complete[1] = true;
    ++tx->revision;
    failed_connect = tx->method == "CONNECT";
  }
  s.tx_id++;
  s.st = St::kLine;
  if (failed_connect && side_[0].st == St::kConnectWait) {
    // Not a tunnel after all: parse what the client sent meanwhile.
    side_[0].st = St::kLine;
    std::string held = std::move(side_[0].pending);
    side_[0].pending.clear();
    parse_bytes(0, held);
  }
}

void HttpParser::tunnel() {
  tunneled_ = true;
  for (Side& s : side_) {
    s.st = St::kTunnel;
    s.line.clear();
    s.pending.clear();
    s.pending.shrink_to_fit();
  }
}

void HttpParser::keep_tunnel_bytes(int d, std::string_view bytes) {
  std::string& kept = tunnel_bytes_[d];
  size_t room = cfg_.max_line_bytes > kept.size() ? cfg_.max_line_bytes - kept.size() : 0;
  kept.append(bytes.substr(0, std::min(room, bytes.size())));
}

void HttpParser::give_up(int d) {
  Side& s = side_[d];
  s.line.clear();
  s.line_overflow = false;
  HttpTx* tx = current(d);
  if (tx != nullptr && msg(*tx, d).line_done && !tx->complete[d]) {
    if (d == 0)
      finish_request();
    else
      finish_response();
  }
  if (s.st != St::kTunnel && s.st != St::kClosed) s.st = St::kResync;
}

void HttpParser::gap(Dir dir, uint32_t len) {
  const int d = static_cast<int>(dir);
  Side& s = side_[d];
  HttpTx* tx = current(d);
  switch (s.st) {
    case St::kTunnel:
    case St::kClosed:
    case St::kConnectWait:
      return;
    case St::kBodyClose:
      if (tx != nullptr) msg(*tx, d).message_len += len;
      return;
    case St::kBodyLength:
    case St::kChunkData:
      if (len <= s.left) {
        // Lost body bytes: the body is incomplete, the message goes on.
        if (tx != nullptr) msg(*tx, d).message_len += len;
        s.left -= len;
        if (s.left == 0) {
          if (s.st == St::kChunkData)
            s.st = St::kChunkDataEnd;
          else
            end_body(d);
          if (d == 0 && s.st == St::kFinalize) finish_request();
        }
        return;
      }
      break;
    default:
      break;
  }
  give_up(d);
}

void HttpParser::eof(Dir dir) {
  const int d = static_cast<int>(dir);
  Side& s = side_[d];
  if (s.st == St::kTunnel || s.st == St::kClosed || s.st == St::kConnectWait) {
    s.st = St::kClosed;
    return;
  }
  if (!s.line.empty()) {
    std::string line = std::move(s.line);
    s.line.clear();
    handle_line(d, line, false);
  }
  if (s.st == St::kHeaders) end_headers(d, false);
  switch (s.st) {
    case St::kBodyLength:
    case St::kChunkSize:
    case St::kChunkData:
    case St::kChunkDataEnd:
    case St::kTrailers:
    case St::kBodyClose:
    case St::kFinalize:
      if (d == 0)
        finish_request();
      else
        finish_response();
      break;
    default:
      break;
  }
  s.st = St::kClosed;
}

void HttpParser::take_logs(std::vector<AppLog>& out, bool flow_end) {
  for (auto& t : txs_) {
    if (t->logged) continue;
    if (!flow_end && !(t->complete[0] && t->complete[1])) continue;
    out.push_back(AppLog{"http", t->tx_id, false, eve_body(*t)});
    t->logged = true;
  }
}

void HttpParser::take_events(std::vector<AppEvent>& out) {
  out.insert(out.end(), events_.begin(), events_.end());
  events_.clear();
}

void HttpParser::prune() {
  while (!txs_.empty() && txs_.front()->logged && txs_.front()->complete[0] &&
         txs_.front()->complete[1])
    txs_.pop_front();
}

size_t HttpParser::memory() const {
  size_t n = sizeof(*this);
  for (const auto& t : txs_) n += t->memory();
  for (const Side& s : side_) n += s.line.capacity() + s.pending.capacity();
  for (const std::string& b : tunnel_bytes_) n += b.capacity();
  return n;
}

}  // namespace

bool tunnel_established(const AppParser& p) {
  const auto* h = dynamic_cast<const HttpParser*>(&p);
  return h != nullptr && h->tunneled();
}

bool protocol_change_requested(const AppParser& p) {
  const auto* h = dynamic_cast<const HttpParser*>(&p);
  return h != nullptr && h->change_requested();
}

std::string take_tunnel_bytes(AppParser& p, Dir dir) {
  auto* h = dynamic_cast<HttpParser*>(&p);
  return h != nullptr ? h->take_tunnel_bytes(static_cast<int>(dir)) : std::string();
}

std::unique_ptr<AppParser> make_parser(const HttpConfig& cfg) {
  return std::make_unique<HttpParser>(cfg);
}

}  // namespace nsm4::app::http
