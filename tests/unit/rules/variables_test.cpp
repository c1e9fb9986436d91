#include "nsm4/rules/variables.h"

#include <gtest/gtest.h>

#include "nsm4/common/config.h"

namespace nsm4::rules {
namespace {

TEST(VariablesTest, SuricataDefaults) {
  Variables v = Variables::suricata_defaults();
  ASSERT_NE(v.address("HOME_NET"), nullptr);
  EXPECT_EQ(*v.address("HOME_NET"), "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]");
  EXPECT_EQ(*v.address("EXTERNAL_NET"), "!$HOME_NET");
  EXPECT_EQ(*v.address("DNP3_CLIENT"), "$HOME_NET");
  EXPECT_EQ(*v.port("HTTP_PORTS"), "80");
  EXPECT_EQ(*v.port("SHELLCODE_PORTS"), "!80");
  EXPECT_EQ(*v.port("FILE_DATA_PORTS"), "[$HTTP_PORTS,110,143]");
  EXPECT_EQ(*v.port("TEREDO_PORTS"), "3544");
  EXPECT_EQ(v.port("HOME_NET"), nullptr);
  EXPECT_EQ(v.address("HTTP_PORTS"), nullptr);
}

TEST(VariablesTest, AssignmentForms) {
  Variables v = Variables::suricata_defaults();
  std::string error;
  ASSERT_TRUE(v.set_assignment("vars.address-groups.HOME_NET=10.9.0.0/16", error));
  EXPECT_EQ(*v.address("HOME_NET"), "10.9.0.0/16");
  ASSERT_TRUE(v.set_assignment("port-groups.WEB=[80,443]", error));
  EXPECT_EQ(*v.port("WEB"), "[80,443]");
  ASSERT_TRUE(v.set_assignment("$SSH_PORTS=2222", error));
  EXPECT_EQ(*v.port("SSH_PORTS"), "2222");
  ASSERT_TRUE(v.set_assignment("MY_PORTS=1000", error));  // new, guessed from the suffix
  EXPECT_NE(v.port("MY_PORTS"), nullptr);
  ASSERT_TRUE(v.set_assignment("GOV_SERVERS=[192.0.2.0/24]", error));
  EXPECT_NE(v.address("GOV_SERVERS"), nullptr);

  EXPECT_FALSE(v.set_assignment("NOEQUALS", error));
  EXPECT_NE(error.find("NAME=VALUE"), std::string::npos);
  EXPECT_FALSE(v.set_assignment("BAD NAME=1", error));
  EXPECT_FALSE(v.set_assignment("EMPTY=", error));
}

TEST(VariablesTest, FromAgentConfig) {
  Config config;
  config.load_yaml_text(
      "vars:\n"
      "  address-groups:\n"
      "    HOME_NET: \"[10.20.0.0/16]\"\n"
      "    GOV_SERVERS: [192.0.2.10, 192.0.2.11]\n"
      "  port-groups:\n"
      "    HTTP_PORTS: \"[80,8080]\"\n"
      "other: 1\n");
  config.set_override("vars.port-groups.SSH_PORTS=2222");
  Variables v = Variables::suricata_defaults();
  v.apply_config(config);
  EXPECT_EQ(*v.address("HOME_NET"), "[10.20.0.0/16]");
  EXPECT_EQ(*v.address("GOV_SERVERS"), "[192.0.2.10,192.0.2.11]");
  EXPECT_EQ(*v.port("HTTP_PORTS"), "[80,8080]");
  EXPECT_EQ(*v.port("SSH_PORTS"), "2222");
  EXPECT_EQ(config.unused_keys(), std::vector<std::string>{"other"});
}

}  // namespace
}  // namespace nsm4::rules
