#include "engine/forward_settings.h"

#include <cstdint>

namespace nsm4 {

namespace {

uint64_t positive_int(const Config& cfg, const std::string& key, int64_t def, int64_t max) {
  const int64_t v = cfg.get_int(key, def);
  if (v < 1 || v > max)
    throw ConfigError("config " + key + ": must be between 1 and " + std::to_string(max));
  return static_cast<uint64_t>(v);
}

}  // namespace

std::optional<forward::ForwarderOptions> forward_settings_from_config(const Config& cfg) {
  using std::chrono::milliseconds;
  forward::ForwarderOptions o;
  const std::string url = cfg.get_string("output.forward.url", "");
  auto& h = o.http;
  h.ca_file = cfg.get_string("output.forward.ca-file", "");
  h.verify = cfg.get_bool("output.forward.verify", true);
  h.client_cert = cfg.get_string("output.forward.client-cert", "");
  h.client_key = cfg.get_string("output.forward.client-key", "");
  if (!h.client_key.empty() && h.client_cert.empty())
    throw ConfigError("config output.forward.client-key: given without output.forward.client-cert");
  o.token_file = cfg.get_string("output.forward.token-file", "");
  h.connect_timeout = cfg.get_duration("output.forward.connect-timeout", h.connect_timeout);
  h.request_timeout = cfg.get_duration("output.forward.request-timeout", h.request_timeout);
  if (h.connect_timeout.count() <= 0 || h.request_timeout.count() <= 0)
    throw ConfigError("config output.forward.connect-timeout/request-timeout: must be positive");

  auto& sp = o.spool;
  sp.dir = cfg.get_string("output.forward.spool.dir", "");
  sp.max_bytes = cfg.get_size("output.forward.spool.max-size", sp.max_bytes);
  const std::string policy = cfg.get_string("output.forward.spool.full-policy", "drop-oldest");
  if (policy == "drop-oldest")
    sp.policy = forward::FullPolicy::kDropOldest;
  else if (policy == "block")
    sp.policy = forward::FullPolicy::kBlock;
  else
    throw ConfigError(
        "config output.forward.spool.full-policy: expected drop-oldest or block, got '" + policy +
        "'");
  sp.rejected_max_files = static_cast<uint64_t>(cfg.get_int(
      "output.forward.spool.rejected-max-files", static_cast<int64_t>(sp.rejected_max_files)));

  o.batch_max_events = positive_int(cfg, "output.forward.batch.max-events", 2000, 10'000'000);
  o.batch_max_bytes = cfg.get_size("output.forward.batch.max-bytes", o.batch_max_bytes);
  if (o.batch_max_bytes < 1024)
    throw ConfigError("config output.forward.batch.max-bytes: must be at least 1kb");
  if (sp.max_bytes < 2 * o.batch_max_bytes)
    throw ConfigError(
        "config output.forward.spool.max-size: must hold at least two batches "
        "(2 x output.forward.batch.max-bytes)");
  o.batch_max_delay = cfg.get_duration("output.forward.batch.max-delay", o.batch_max_delay);
  if (o.batch_max_delay.count() <= 0)
    throw ConfigError("config output.forward.batch.max-delay: must be positive");
  o.batch_queue = positive_int(cfg, "output.forward.batch.queue", 4, 1024);
  const int64_t level = cfg.get_int("output.forward.gzip-level", o.gzip_level);
  if (level < 0 || level > 9)
    throw ConfigError("config output.forward.gzip-level: must be between 0 and 9");
  o.gzip_level = static_cast<int>(level);

  o.retry_initial = cfg.get_duration("output.forward.retry.initial", o.retry_initial);
  o.retry_max = cfg.get_duration("output.forward.retry.max", o.retry_max);
  if (o.retry_initial.count() <= 0 || o.retry_max < o.retry_initial)
    throw ConfigError(
        "config output.forward.retry: initial must be positive and max at least initial");
  o.drain_timeout = cfg.get_duration("output.forward.drain-timeout", o.drain_timeout);

  if (url.empty()) return std::nullopt;
  std::string err;
  auto parsed = forward::parse_forward_url(url, err);
  if (!parsed) throw ConfigError("config output.forward.url: " + err);
  h.url = *parsed;
  return o;
}

}  // namespace nsm4
