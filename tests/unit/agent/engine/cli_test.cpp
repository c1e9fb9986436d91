#include "engine/cli.h"

#include <gtest/gtest.h>

#include <vector>

namespace nsm4 {
namespace {

bool parse(std::vector<std::string> args, CliOptions& o, std::string& err) {
  std::vector<char*> argv;
  static char prog[] = "nsm4-agent";
  argv.push_back(prog);
  for (auto& a : args) argv.push_back(a.data());
  return parse_cli(static_cast<int>(argv.size()), argv.data(), o, err);
}

TEST(Cli, ReadFileRulesLogDirAndTrailingBpf) {
  CliOptions o;
  std::string err;
  ASSERT_TRUE(parse(
      {"-r", "x.pcap", "-S", "a.rules", "-S", "b.rules", "-l", "out", "tcp", "port", "80"}, o, err))
      << err;
  EXPECT_EQ(o.read_file, "x.pcap");
  EXPECT_EQ(o.rule_files, (std::vector<std::string>{"a.rules", "b.rules"}));
  EXPECT_EQ(o.log_dir, "out");
  EXPECT_EQ(o.bpf, "tcp port 80");
}

TEST(Cli, ShorthandsBecomeConfigOverrides) {
  CliOptions o;
  std::string err;
  ASSERT_TRUE(parse(
      {"-i", "eth0", "--workers", "3", "-k", "all", "--midstream", "--set", "flow.memcap=1mb"}, o,
      err))
      << err;
  EXPECT_EQ(o.iface, "eth0");
  EXPECT_EQ(o.sets, (std::vector<std::string>{"workers=3", "capture.checksum-validation=all",
                                              "stream.midstream=yes", "flow.memcap=1mb"}));
}

TEST(Cli, CollectorIsTheForwardUrl) {
  CliOptions o;
  std::string err;
  ASSERT_TRUE(parse({"-r", "x.pcap", "--collector", "https://127.0.0.1:9443"}, o, err)) << err;
  EXPECT_EQ(o.sets, (std::vector<std::string>{"output.forward.url=https://127.0.0.1:9443"}));
}

TEST(Cli, ErrorsAreOneLine) {
  CliOptions o;
  std::string err;
  EXPECT_FALSE(parse({"-r", "x.pcap", "--frobnicate"}, o, err));
  EXPECT_NE(err.find("--frobnicate"), std::string::npos);
  EXPECT_EQ(err.find('\n'), std::string::npos);
  CliOptions o2;
  EXPECT_FALSE(parse({"-r"}, o2, err));
  CliOptions o3;
  EXPECT_FALSE(parse({}, o3, err));
  CliOptions o4;
  EXPECT_FALSE(parse({"-r", "a", "-i", "b"}, o4, err));
  CliOptions o5;
  EXPECT_FALSE(parse({"-r", "a", "--bpf", "tcp", "udp"}, o5, err));
}

TEST(Cli, HelpMentionsEveryOption) {
  auto help = cli_help();
  for (const char* opt : {"-r", "-i", "-S", "-l", "--eve", "-c", "--set", "--bpf", "--workers",
                          "--snaplen", "--buffer-size", "--no-promisc", "--user", "--group",
                          "--run-for", "-k", "--midstream", "--collector", "Exit codes"})
    EXPECT_NE(help.find(opt), std::string::npos) << opt;
}

}  // namespace
}  // namespace nsm4
