#include "engine/forward_settings.h"

#include <gtest/gtest.h>

#include "engine/agent_settings.h"

namespace nsm4 {
namespace {

using std::chrono::milliseconds;

TEST(ForwardSettings, OffWithoutAUrl) {
  Config cfg;
  EXPECT_FALSE(forward_settings_from_config(cfg));
  EXPECT_FALSE(settings_from_config(cfg, false).forward);
}

TEST(ForwardSettings, DefaultsOfTheDesign) {
  Config cfg;
  cfg.set("output.forward.url", "https://127.0.0.1:9443");
  auto o = forward_settings_from_config(cfg);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->http.url.port, "9443");
  EXPECT_TRUE(o->http.verify);
  EXPECT_EQ(o->spool.max_bytes, 256ull << 20);
  EXPECT_EQ(o->spool.policy, forward::FullPolicy::kDropOldest);
  EXPECT_TRUE(o->spool.dir.empty());  // the agent puts it under the log directory
  EXPECT_EQ(o->batch_max_events, 2000u);
  EXPECT_EQ(o->batch_max_bytes, 1u << 20);
  EXPECT_EQ(o->batch_max_delay, milliseconds(1000));
  EXPECT_EQ(o->retry_initial, milliseconds(500));
  EXPECT_EQ(o->retry_max, milliseconds(30000));
  EXPECT_EQ(o->drain_timeout, milliseconds(30000));
}

TEST(ForwardSettings, EveryKey) {
  Config cfg;
  cfg.set("output.forward.url", "https://collector:8443");
  cfg.set("output.forward.token-file", "/etc/nsm4/token");
  cfg.set("output.forward.ca-file", "/etc/nsm4/ca.pem");
  cfg.set("output.forward.verify", "no");
  cfg.set("output.forward.client-cert", "/etc/nsm4/agent.pem");
  cfg.set("output.forward.client-key", "/etc/nsm4/agent.key");
  cfg.set("output.forward.spool.dir", "/var/spool/nsm4");
  cfg.set("output.forward.spool.max-size", "64mb");
  cfg.set("output.forward.spool.full-policy", "block");
  cfg.set("output.forward.batch.max-events", "500");
  cfg.set("output.forward.batch.max-bytes", "256kb");
  cfg.set("output.forward.batch.max-delay", "250ms");
  cfg.set("output.forward.retry.initial", "1s");
  cfg.set("output.forward.retry.max", "2m");
  cfg.set("output.forward.drain-timeout", "5s");
  cfg.set("output.forward.connect-timeout", "3s");
  cfg.set("output.forward.request-timeout", "20s");
  auto o = forward_settings_from_config(cfg);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->token_file, "/etc/nsm4/token");
  EXPECT_EQ(o->http.ca_file, "/etc/nsm4/ca.pem");
  EXPECT_FALSE(o->http.verify);
  EXPECT_EQ(o->http.client_key, "/etc/nsm4/agent.key");
  EXPECT_EQ(o->spool.dir, "/var/spool/nsm4");
  EXPECT_EQ(o->spool.max_bytes, 64ull << 20);
  EXPECT_EQ(o->spool.policy, forward::FullPolicy::kBlock);
  EXPECT_EQ(o->batch_max_events, 500u);
  EXPECT_EQ(o->batch_max_bytes, 256u << 10);
  EXPECT_EQ(o->batch_max_delay, milliseconds(250));
  EXPECT_EQ(o->retry_max, milliseconds(120000));
  EXPECT_EQ(o->drain_timeout, milliseconds(5000));
  EXPECT_EQ(o->http.connect_timeout, milliseconds(3000));
  EXPECT_EQ(o->http.request_timeout, milliseconds(20000));
  EXPECT_TRUE(cfg.unused_keys().empty());
}

TEST(ForwardSettings, BadValuesAreConfigErrors) {
  for (auto [key, value] : {std::pair{"output.forward.url", "ftp://x"},
                            {"output.forward.spool.full-policy", "panic"},
                            {"output.forward.batch.max-events", "0"},
                            {"output.forward.batch.max-bytes", "10"},
                            {"output.forward.spool.max-size", "1mb"},  // < 2 batches
                            {"output.forward.batch.max-delay", "soon"},
                            {"output.forward.retry.initial", "0"},
                            {"output.forward.retry.max", "100ms"},  // < initial
                            {"output.forward.drain-timeout", "5 years"},
                            {"output.forward.gzip-level", "12"},
                            {"output.forward.client-key", "/k"}}) {
    Config cfg;
    cfg.set("output.forward.url", "https://127.0.0.1:9443");
    cfg.set(key, value);
    EXPECT_THROW(forward_settings_from_config(cfg), ConfigError) << key << "=" << value;
  }
}

}  // namespace
}  // namespace nsm4
