#pragma once
// collector.yaml (nsm4::Config keys, overridable with --set) -> the options of
// the server, the store and the request handlers. Errors name the key.
#include <chrono>
#include <cstdint>
#include <string>

#include "app/collector_services.h"
#include "nsm4/common/config.h"
#include "server/server.h"
#include "store/event_store.h"

namespace nsm4::collector {

struct CollectorConfig {
  ServerOptions server;
  StoreOptions store;
  IngestOptions ingest;
  uint64_t max_queued_events = 1'000'000;  // StoreWriter: beyond this, 503 until it drains
  std::string api_token_file;              // "" = the query API needs no token
  int64_t agent_down_after_sec = 120;
  std::chrono::seconds retention_interval{60};
};

// Throws nsm4::ConfigError naming the key and the bad value.
CollectorConfig collector_config_from(const Config& cfg);

// "127.0.0.1:9443", "[::1]:9443", "0.0.0.0:9443"; the port may be 0.
void parse_listen(const std::string& key, const std::string& text, std::string& address,
                  uint16_t& port);

// The first line of a token file, without surrounding whitespace. Throws
// ConfigError when the file cannot be read or holds no token.
std::string read_token_file(const std::string& key, const std::string& path);

}  // namespace nsm4::collector
