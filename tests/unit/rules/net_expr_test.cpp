#include "nsm4/rules/net_expr.h"

#include <gtest/gtest.h>

namespace nsm4::rules {
namespace {

class NetExprTest : public ::testing::Test {
 protected:
  AddressSet addr(std::string_view text) {
    AddressSet out;
    ParseError err;
    EXPECT_TRUE(parse_address_expr(text, vars_, out, err)) << text << ": " << err.message;
    return out;
  }
  ParseError addr_error(std::string_view text) {
    AddressSet out;
    ParseError err;
    EXPECT_FALSE(parse_address_expr(text, vars_, out, err)) << text;
    return err;
  }
  PortSet ports(std::string_view text) {
    PortSet out;
    ParseError err;
    EXPECT_TRUE(parse_port_expr(text, vars_, out, err)) << text << ": " << err.message;
    return out;
  }
  ParseError port_error(std::string_view text) {
    PortSet out;
    ParseError err;
    EXPECT_FALSE(parse_port_expr(text, vars_, out, err)) << text;
    return err;
  }
  Variables vars_ = Variables::suricata_defaults();
};

TEST_F(NetExprTest, LiteralsAndCidr) {
  EXPECT_TRUE(addr("any").is_any());
  AddressSet host = addr("192.0.2.1");
  EXPECT_TRUE(host.contains("192.0.2.1"));
  EXPECT_FALSE(host.contains("192.0.2.2"));
  EXPECT_TRUE(addr("10.0.0.0/255.0.0.0") == addr("10.0.0.0/8"));
  AddressSet v6 = addr("2001:db8::/64");
  EXPECT_TRUE(v6.contains("2001:db8::abcd"));
  EXPECT_FALSE(v6.contains("2001:db8:0:1::"));
  EXPECT_TRUE(addr("fe80::1").contains("fe80::1"));
}

TEST_F(NetExprTest, DefaultHomeAndExternalNet) {
  AddressSet home = addr("$HOME_NET");
  EXPECT_TRUE(home.contains("192.168.10.1"));
  EXPECT_TRUE(home.contains("10.200.0.1"));
  EXPECT_TRUE(home.contains("172.31.255.255"));
  EXPECT_FALSE(home.contains("172.32.0.0"));
  EXPECT_FALSE(home.contains("8.8.8.8"));
  EXPECT_FALSE(home.contains("2001:db8::1"));
  AddressSet ext = addr("$EXTERNAL_NET");
  EXPECT_TRUE(ext.contains("8.8.8.8"));
  EXPECT_FALSE(ext.contains("10.0.0.1"));
  EXPECT_TRUE(ext.contains("2001:db8::1"));  // !$HOME_NET includes all of IPv6
  EXPECT_TRUE(addr("$HTTP_SERVERS") == home);
  EXPECT_TRUE(addr("$AIM_SERVERS") == ext);
}

TEST_F(NetExprTest, GroupsNestingAndNegation) {
  AddressSet g = addr("[10.0.0.0/8, !10.1.0.0/16, [192.0.2.1, 2001:db8::1]]");
  EXPECT_TRUE(g.contains("10.2.0.1"));
  EXPECT_FALSE(g.contains("10.1.0.1"));
  EXPECT_TRUE(g.contains("192.0.2.1"));
  EXPECT_TRUE(g.contains("2001:db8::1"));
  EXPECT_FALSE(g.contains("2001:db8::2"));

  AddressSet only_neg = addr("[!10.0.0.0/8,!2001:db8::/32]");
  EXPECT_TRUE(only_neg.contains("11.0.0.1"));
  EXPECT_FALSE(only_neg.contains("10.0.0.1"));
  EXPECT_FALSE(only_neg.contains("2001:db8::5"));
  EXPECT_TRUE(only_neg.contains("2001:db9::5"));

  AddressSet neg_group = addr("![1.1.1.1,[2.2.2.2]]");
  EXPECT_FALSE(neg_group.contains("1.1.1.1"));
  EXPECT_FALSE(neg_group.contains("2.2.2.2"));
  EXPECT_TRUE(neg_group.contains("3.3.3.3"));

  EXPECT_TRUE(addr("!!1.2.3.4") == addr("1.2.3.4"));
  EXPECT_TRUE(addr("[$HOME_NET,!192.168.0.0/16]") == addr("[10.0.0.0/8,172.16.0.0/12]"));
}

TEST_F(NetExprTest, AddressErrorsCarryTheirOffset) {
  ParseError e = addr_error("[10.0.0.0/8,10.0.0.300]");
  EXPECT_EQ(e.offset, 12u);
  EXPECT_NE(e.message.find("'10.0.0.300' is not an IPv4 or IPv6 address"), std::string::npos);

  e = addr_error("[1.1.1.1,$NOPE]");
  EXPECT_EQ(e.offset, 9u);
  EXPECT_NE(e.message.find("undefined address variable $NOPE"), std::string::npos);

  e = addr_error("10.0.0.0/33");
  EXPECT_EQ(e.offset, 0u);
  EXPECT_NE(e.message.find("prefix length"), std::string::npos);

  e = addr_error("2001:db8::/129");
  EXPECT_NE(e.message.find("0 to 128"), std::string::npos);

  e = addr_error("[1.1.1.1");
  EXPECT_EQ(e.offset, 0u);
  EXPECT_NE(e.message.find("missing ']'"), std::string::npos);

  e = addr_error("[1.1.1.1 2.2.2.2]");
  EXPECT_EQ(e.offset, 9u);

  e = addr_error("[]");
  EXPECT_NE(e.message.find("empty group"), std::string::npos);

  e = addr_error("!any");
  EXPECT_NE(e.message.find("matches no address"), std::string::npos);

  e = addr_error("1.2.3.4-1.2.3.9");
  EXPECT_NE(e.message.find("ranges"), std::string::npos);

  e = addr_error("$HTTP_PORTS");
  EXPECT_NE(e.message.find("is a port variable"), std::string::npos);

  e = addr_error("10.0.0.0/255.0.255.0");
  EXPECT_NE(e.message.find("not contiguous"), std::string::npos);
}

TEST_F(NetExprTest, ErrorsInsideVariablesPointAtTheReference) {
  vars_.set_address("BAD", "[10.0.0.0/8,oops]");
  ParseError e = addr_error("[1.1.1.1, $BAD]");
  EXPECT_EQ(e.offset, 10u);
  EXPECT_NE(e.message.find("in $BAD"), std::string::npos);
  EXPECT_NE(e.message.find("'oops'"), std::string::npos);

  vars_.set_address("LOOP_A", "$LOOP_B");
  vars_.set_address("LOOP_B", "[1.1.1.1,$LOOP_A]");
  e = addr_error("$LOOP_A");
  EXPECT_NE(e.message.find("refers to itself"), std::string::npos);
}

TEST_F(NetExprTest, OverriddenVariables) {
  std::string error;
  ASSERT_TRUE(
      vars_.set_assignment("vars.address-groups.HOME_NET=[2001:db8::/32,10.1.0.0/16]", error));
  AddressSet ext = addr("$EXTERNAL_NET");
  EXPECT_FALSE(ext.contains("2001:db8::1"));
  EXPECT_TRUE(ext.contains("10.2.0.1"));
  ASSERT_TRUE(vars_.set_assignment("HTTP_PORTS=[80,8080]", error));
  PortSet p = ports("$FILE_DATA_PORTS");
  EXPECT_EQ(p.to_string(), "80,110,143,8080");
}

TEST_F(NetExprTest, Ports) {
  EXPECT_TRUE(ports("any").is_any());
  EXPECT_EQ(ports("80").to_string(), "80");
  EXPECT_EQ(ports("1024:").to_string(), "1024:65535");
  EXPECT_EQ(ports(":1023").to_string(), "0:1023");
  EXPECT_EQ(ports("[80, 443, 8000:8080]").to_string(), "80,443,8000:8080");
  EXPECT_EQ(ports("!80").to_string(), "0:79,81:65535");
  EXPECT_EQ(ports("![80,443]").to_string(), "0:79,81:442,444:65535");
  EXPECT_EQ(ports("[1:1024,!80]").to_string(), "1:79,81:1024");
  EXPECT_EQ(ports("$SHELLCODE_PORTS").to_string(), "0:79,81:65535");
  EXPECT_EQ(ports("$FILE_DATA_PORTS").to_string(), "80,110,143");
  EXPECT_EQ(ports("[$HTTP_PORTS,[$SSH_PORTS,$FTP_PORTS]]").to_string(), "21:22,80");
  EXPECT_TRUE(ports("$SIP_PORTS").contains(5061));
}

TEST_F(NetExprTest, PortErrors) {
  ParseError e = port_error("[80,65536]");
  EXPECT_EQ(e.offset, 4u);
  EXPECT_NE(e.message.find("'65536' is not a port number"), std::string::npos);
  e = port_error("2000:1000");
  EXPECT_NE(e.message.find("reversed"), std::string::npos);
  e = port_error("http");
  EXPECT_EQ(e.offset, 0u);
  e = port_error("[80,$HOME_NET]");
  EXPECT_EQ(e.offset, 4u);
  EXPECT_NE(e.message.find("is an address variable"), std::string::npos);
  e = port_error("$NO_SUCH_PORTS");
  EXPECT_NE(e.message.find("undefined port variable $NO_SUCH_PORTS"), std::string::npos);
  e = port_error("!any");
  EXPECT_NE(e.message.find("matches no port"), std::string::npos);
  e = port_error(":");
  EXPECT_EQ(e.offset, 0u);
}

}  // namespace
}  // namespace nsm4::rules
