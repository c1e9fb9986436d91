#include "app/collector_config.h"

#include <cctype>
#include <charconv>
#include <fstream>

namespace nsm4::collector {

namespace {

[[noreturn]] void bad(const std::string& key, const std::string& expected,
                      const std::string& text) {
  throw ConfigError("config " + key + ": expected " + expected + ", got '" + text + "'");
}

std::chrono::milliseconds duration_key(const Config& cfg, const std::string& key,
                                       std::chrono::milliseconds def, bool allow_zero) {
  const auto text = cfg.get(key);
  if (!text) return def;
  const auto d = parse_duration(key, *text);
  if (!allow_zero && d.count() == 0) bad(key, "a duration above zero", *text);
  return d;
}

uint64_t positive_size(const Config& cfg, const std::string& key, uint64_t def, uint64_t max) {
  const uint64_t v = cfg.get_size(key, def);
  if (v == 0 || v > max)
    bad(key, "a size from 1 to " + std::to_string(max) + " bytes",
        cfg.get_string(key, std::to_string(def)));
  return v;
}

int64_t int_in_range(const Config& cfg, const std::string& key, int64_t def, int64_t lo,
                     int64_t hi) {
  const int64_t v = cfg.get_int(key, def);
  if (v < lo || v > hi)
    bad(key, "a number from " + std::to_string(lo) + " to " + std::to_string(hi),
        std::to_string(v));
  return v;
}

PlainMode plain_mode(const Config& cfg) {
  const std::string text = cfg.get_string("plain", "loopback");
  std::string v;
  for (char c : text) v += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (v == "off" || v == "no" || v == "false") return PlainMode::kOff;
  if (v == "loopback") return PlainMode::kLoopback;
  if (v == "any") return PlainMode::kAny;
  bad("plain", "off, loopback or any", text);
}

}  // namespace

void parse_listen(const std::string& key, const std::string& text, std::string& address,
                  uint16_t& port) {
  std::string host;
  std::string port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      bad(key, "[ipv6]:port", text);
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || text.find(':') != colon)
      bad(key, "address:port such as 127.0.0.1:9443 or [::1]:9443", text);
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  unsigned value = 0;
  const auto r = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
  if (host.empty() || port_text.empty() || r.ec != std::errc() ||
      r.ptr != port_text.data() + port_text.size() || value > 65535)
    bad(key, "address:port with a port from 0 to 65535", text);
  address = host;
  port = static_cast<uint16_t>(value);
}

std::string read_token_file(const std::string& key, const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError("config " + key + ": cannot read " + path);
  std::string line;
  std::getline(in, line);
  const auto first = line.find_first_not_of(" \t\r\n");
  const auto last = line.find_last_not_of(" \t\r\n");
  if (first == std::string::npos)
    throw ConfigError("config " + key + ": " + path + " holds no token");
  return line.substr(first, last - first + 1);
}

CollectorConfig collector_config_from(const Config& cfg) {
  using std::chrono::milliseconds;
  CollectorConfig c;
  ServerOptions& s = c.server;
  parse_listen("listen", cfg.get_string("listen", "127.0.0.1:9443"), s.address, s.port);
  s.tls_cert = cfg.get_string("tls.cert", "");
  s.tls_key = cfg.get_string("tls.key", "");
  s.tls_client_ca = cfg.get_string("tls.client-ca", "");
  if (s.tls_cert.empty() != s.tls_key.empty())
    throw ConfigError(std::string("config ") + (s.tls_cert.empty() ? "tls.cert" : "tls.key") +
                      ": TLS needs both tls.cert and tls.key");
  s.plain = plain_mode(cfg);
  s.max_body_bytes = positive_size(cfg, "limits.max-body", s.max_body_bytes, uint64_t{1} << 40);
  s.max_header_bytes = positive_size(cfg, "limits.max-header", s.max_header_bytes, 1u << 20);
  s.max_connections =
      static_cast<uint64_t>(int_in_range(cfg, "limits.max-connections", 2048, 1, 1'000'000));
  s.header_timeout = duration_key(cfg, "limits.header-timeout", s.header_timeout, false);
  s.body_timeout = duration_key(cfg, "limits.body-timeout", s.body_timeout, false);
  s.idle_timeout = duration_key(cfg, "limits.idle-timeout", s.idle_timeout, false);
  s.linger_timeout = duration_key(cfg, "limits.linger-timeout", s.linger_timeout, false);
  s.drain_timeout = duration_key(cfg, "limits.drain-timeout", s.drain_timeout, false);
  s.threads = static_cast<int>(int_in_range(cfg, "threads", 1, 1, 256));

  c.store.path = cfg.get_string("store.path", "data/nsm4.db");
  if (c.store.path.empty()) throw ConfigError("config store.path: must not be empty");
  const auto max_age =
      duration_key(cfg, "store.retention.max-age", milliseconds(90LL * 86'400'000), true);
  c.store.retention_max_age_sec = std::chrono::duration_cast<std::chrono::seconds>(max_age).count();
  c.store.retention_max_bytes = cfg.get_size("store.retention.max-size", uint64_t{10} << 30);
  c.store.synchronous_full = cfg.get_bool("store.fsync", true);
  c.retention_interval = std::chrono::duration_cast<std::chrono::seconds>(
      duration_key(cfg, "store.retention.interval", milliseconds(60'000), false));
  if (c.retention_interval.count() == 0) c.retention_interval = std::chrono::seconds(1);
  c.max_queued_events = static_cast<uint64_t>(
      int_in_range(cfg, "store.max-queued-events", 1'000'000, 1, int64_t{1} << 40));

  c.ingest.max_body_bytes = s.max_body_bytes;
  c.ingest.max_decoded_bytes =
      positive_size(cfg, "limits.max-decoded", c.ingest.max_decoded_bytes, uint64_t{1} << 40);
  c.ingest.max_line_bytes =
      positive_size(cfg, "limits.max-line", c.ingest.max_line_bytes, uint64_t{1} << 30);
  c.ingest.require_batch_id = cfg.get_bool("ingest.require-batch-id", false);

  c.api_token_file = cfg.get_string("api.token-file", "");
  c.agent_down_after_sec = std::chrono::duration_cast<std::chrono::seconds>(
                               duration_key(cfg, "agents.down-after", milliseconds(120'000), false))
                               .count();
  if (c.agent_down_after_sec == 0) c.agent_down_after_sec = 1;
  return c;
}

}  // namespace nsm4::collector
