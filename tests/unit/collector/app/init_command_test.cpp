#include "app/init_command.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "app/collector_config.h"
#include "app/pki.h"
#include "collector/temp_dir.h"

namespace nsm4::collector {
namespace {

using testing::TempDir;

TEST(InitCommandTest, WritesAConsistentDeployment) {
  TempDir tmp;
  InitOptions opt;
  opt.dir = tmp.file("deploy");
  opt.server_names = {"collector.example"};
  opt.agents = {{"sensor-1", "ward-1"}, {"sensor-2", "ward-2"}};
  const DeploymentPaths p = write_deployment(opt);
  EXPECT_EQ(p.dir, opt.dir);
  EXPECT_EQ(p.url, "https://127.0.0.1:9443");

  Config cfg;
  cfg.load_yaml_file(p.config);
  const CollectorConfig c = collector_config_from(cfg);
  EXPECT_EQ(c.server.tls_cert, p.server_cert);
  EXPECT_EQ(c.server.tls_client_ca, p.ca_cert);
  EXPECT_EQ(c.store.path, p.store);
  EXPECT_TRUE(cfg.unused_keys().empty());
  EXPECT_TRUE(std::filesystem::is_directory(tmp.file("deploy/data")));

  EXPECT_EQ(
      pki::verify_certificate(p.ca_cert, p.server_cert, pki::Purpose::kServer, "collector.example"),
      "");
  for (const auto& a : opt.agents) {
    const std::string base = p.agents_dir + "/" + a.name;
    EXPECT_EQ(pki::verify_certificate(p.ca_cert, base + ".crt", pki::Purpose::kClient), "");
    Config agent;
    agent.load_yaml_file(base + ".yaml");
    EXPECT_EQ(agent.get_string("output.forward.url", ""), p.url);
    EXPECT_EQ(agent.get_string("output.forward.token-file", ""), base + ".token");
  }
  struct stat st {};
  ASSERT_EQ(::stat(p.agents_dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);

  EXPECT_THROW(write_deployment(opt), std::runtime_error);  // never overwrites
}

TEST(InitCommandTest, WildcardListenUsesTheServerNameForAgents) {
  TempDir tmp;
  InitOptions opt;
  opt.dir = tmp.path();
  opt.listen = "0.0.0.0:8443";
  opt.server_names = {"collector.example"};
  EXPECT_EQ(write_deployment(opt).url, "https://collector.example:8443");
}

TEST(InitCommandTest, BadNamesAreRefusedBeforeAnythingIsWritten) {
  TempDir tmp;
  InitOptions opt;
  opt.dir = tmp.file("deploy");
  opt.agents = {{"../escape", "ward-1"}};
  EXPECT_THROW(write_deployment(opt), std::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(opt.dir));
  EXPECT_THROW(parse_agent_spec("a"), std::invalid_argument);
  EXPECT_THROW(parse_agent_spec("a:"), std::invalid_argument);
  EXPECT_THROW(parse_agent_spec(".:site"), std::invalid_argument);
  EXPECT_EQ(parse_agent_spec("a.b-c_1:ward-1").site, "ward-1");
}

}  // namespace
}  // namespace nsm4::collector
