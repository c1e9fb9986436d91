#include "app/collector_cli.h"

#include <gtest/gtest.h>

namespace nsm4::collector {
namespace {

bool parse(const std::vector<std::string>& args, CollectorCli& cli, std::string& error) {
  cli = CollectorCli{};
  error.clear();
  return parse_collector_cli(args, cli, error);
}

TEST(CollectorCliTest, CommandsAndGlobalOptions) {
  CollectorCli cli;
  std::string err;
  ASSERT_TRUE(parse({"-c", "c.yaml", "--set", "threads=2", "run", "--set=plain=off"}, cli, err));
  EXPECT_EQ(cli.command, Command::kRun);
  EXPECT_EQ(cli.config_file, "c.yaml");
  EXPECT_EQ(cli.sets, (std::vector<std::string>{"threads=2", "plain=off"}));
  ASSERT_TRUE(parse({"agent", "add", "sensor-1", "--site", "ward-1"}, cli, err));
  EXPECT_EQ(cli.command, Command::kAgentAdd);
  EXPECT_EQ(cli.agent_name, "sensor-1");
  EXPECT_EQ(cli.agent_site, "ward-1");
  ASSERT_TRUE(parse({"agent", "revoke", "sensor-1"}, cli, err));
  EXPECT_EQ(cli.command, Command::kAgentRevoke);
  ASSERT_TRUE(parse({"agent", "list"}, cli, err));
  EXPECT_EQ(cli.command, Command::kAgentList);
  ASSERT_TRUE(parse({"verify"}, cli, err));
  EXPECT_EQ(cli.command, Command::kVerify);
  ASSERT_TRUE(parse({"--version"}, cli, err));
  EXPECT_TRUE(cli.version);
}

TEST(CollectorCliTest, InitOptions) {
  CollectorCli cli;
  std::string err;
  ASSERT_TRUE(parse({"init", "--dir", "/tmp/x", "--agent", "a1:ward-1", "--agent=a2:ward-2",
                     "--name", "collector.example"},
                    cli, err))
      << err;
  EXPECT_EQ(cli.command, Command::kInit);
  EXPECT_EQ(cli.init.dir, "/tmp/x");
  ASSERT_EQ(cli.init.agents.size(), 2u);
  EXPECT_EQ(cli.init.agents[1].name, "a2");
  EXPECT_EQ(cli.init.agents[1].site, "ward-2");
  EXPECT_EQ(cli.init.server_names, std::vector<std::string>{"collector.example"});
}

TEST(CollectorCliTest, UsageErrorsSayWhatIsWrong) {
  CollectorCli cli;
  std::string err;
  EXPECT_FALSE(parse({}, cli, err));
  EXPECT_NE(err.find("no command"), std::string::npos);
  EXPECT_FALSE(parse({"serve"}, cli, err));
  EXPECT_NE(err.find("unknown command 'serve'"), std::string::npos);
  EXPECT_FALSE(parse({"agent", "add", "x"}, cli, err));
  EXPECT_NE(err.find("--site"), std::string::npos);
  EXPECT_FALSE(parse({"run", "--site", "x"}, cli, err));
  EXPECT_FALSE(parse({"run", "--agent", "a:b"}, cli, err));
  EXPECT_FALSE(parse({"init", "--agent", "../etc:b"}, cli, err));
  EXPECT_NE(err.find("name"), std::string::npos);
  EXPECT_FALSE(parse({"init", "--agent", "nosite"}, cli, err));
  EXPECT_FALSE(parse({"run", "-c"}, cli, err));
  EXPECT_NE(err.find("-c needs a value"), std::string::npos);
  EXPECT_FALSE(parse({"run", "--set", "novalue"}, cli, err));
  EXPECT_FALSE(parse({"run", "--bogus"}, cli, err));
}

}  // namespace
}  // namespace nsm4::collector
