#include "app/collector_config.h"

#include <gtest/gtest.h>

#include <string>

namespace nsm4::collector {
namespace {

using std::chrono::milliseconds;

CollectorConfig from_yaml(const std::string& yaml) {
  Config cfg;
  cfg.load_yaml_text(yaml);
  return collector_config_from(cfg);
}

// The message of the ConfigError that `yaml` raises, or "" when none.
std::string error_of(const std::string& yaml) {
  try {
    from_yaml(yaml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(CollectorConfigTest, DefaultsListenOnLoopback) {
  const CollectorConfig c = from_yaml("");
  EXPECT_EQ(c.server.address, "127.0.0.1");
  EXPECT_EQ(c.server.port, 9443);
  EXPECT_EQ(c.server.plain, PlainMode::kLoopback);
  EXPECT_EQ(c.server.max_body_bytes, 32u << 20);
  EXPECT_EQ(c.server.max_connections, 2048u);
  EXPECT_EQ(c.server.header_timeout, milliseconds(10'000));
  EXPECT_EQ(c.server.idle_timeout, milliseconds(120'000));
  EXPECT_EQ(c.store.path, "data/nsm4.db");
  EXPECT_EQ(c.store.retention_max_age_sec, 90 * 86400);
  EXPECT_EQ(c.store.retention_max_bytes, uint64_t{10} << 30);
  EXPECT_EQ(c.agent_down_after_sec, 120);
  EXPECT_EQ(c.ingest.max_body_bytes, c.server.max_body_bytes);
}

TEST(CollectorConfigTest, ReadsTheDesignKeys) {
  const CollectorConfig c = from_yaml(R"(
listen: "[::1]:0"
tls: {cert: s.crt, key: s.key, client-ca: ca.crt}
plain: "off"
store: {path: /var/lib/nsm4/x.db, retention: {max-age: 0, max-size: 1gb}}
limits: {max-body: 4mb, max-connections: 10, header-timeout: 500ms, body-timeout: 2m,
         idle-timeout: 1h}
api: {token-file: /etc/nsm4/api.token}
agents: {down-after: 90s}
threads: 2
)");
  EXPECT_EQ(c.server.address, "::1");
  EXPECT_EQ(c.server.port, 0);
  EXPECT_EQ(c.server.tls_client_ca, "ca.crt");
  EXPECT_EQ(c.server.plain, PlainMode::kOff);
  EXPECT_EQ(c.store.retention_max_age_sec, 0);
  EXPECT_EQ(c.store.retention_max_bytes, 1u << 30);
  EXPECT_EQ(c.server.max_body_bytes, 4u << 20);
  EXPECT_EQ(c.ingest.max_body_bytes, 4u << 20);
  EXPECT_EQ(c.server.max_connections, 10u);
  EXPECT_EQ(c.server.header_timeout, milliseconds(500));
  EXPECT_EQ(c.server.body_timeout, milliseconds(120'000));
  EXPECT_EQ(c.server.idle_timeout, milliseconds(3'600'000));
  EXPECT_EQ(c.api_token_file, "/etc/nsm4/api.token");
  EXPECT_EQ(c.agent_down_after_sec, 90);
  EXPECT_EQ(c.server.threads, 2);
}

TEST(CollectorConfigTest, ErrorsNameTheKey) {
  EXPECT_NE(error_of("listen: 127.0.0.1").find("config listen:"), std::string::npos);
  EXPECT_NE(error_of("listen: 1.2.3.4:70000").find("config listen:"), std::string::npos);
  EXPECT_NE(error_of("plain: sometimes").find("config plain:"), std::string::npos);
  EXPECT_NE(error_of("limits: {header-timeout: 10x}").find("limits.header-timeout"),
            std::string::npos);
  EXPECT_NE(error_of("limits: {header-timeout: 0}").find("limits.header-timeout"),
            std::string::npos);
  EXPECT_NE(error_of("limits: {max-body: lots}").find("limits.max-body"), std::string::npos);
  EXPECT_NE(error_of("limits: {max-connections: 0}").find("limits.max-connections"),
            std::string::npos);
  EXPECT_NE(error_of("store: {retention: {max-age: -1d}}").find("store.retention.max-age"),
            std::string::npos);
  EXPECT_NE(error_of("tls: {cert: a.crt}").find("tls.key"), std::string::npos);
  EXPECT_NE(error_of("threads: 0").find("threads"), std::string::npos);
}

TEST(CollectorConfigTest, ListenAddresses) {
  std::string addr;
  uint16_t port = 0;
  parse_listen("listen", "0.0.0.0:8443", addr, port);
  EXPECT_EQ(addr, "0.0.0.0");
  EXPECT_EQ(port, 8443);
  EXPECT_THROW(parse_listen("listen", "::1:9443", addr, port), ConfigError);
  EXPECT_THROW(parse_listen("listen", "[::1]", addr, port), ConfigError);
  EXPECT_THROW(parse_listen("listen", ":9443", addr, port), ConfigError);
}

}  // namespace
}  // namespace nsm4::collector
