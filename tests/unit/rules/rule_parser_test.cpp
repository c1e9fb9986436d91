#include "nsm4/rules/rule_parser.h"

#include <gtest/gtest.h>

namespace nsm4::rules {
namespace {

class RuleParserTest : public ::testing::Test {
 protected:
  RuleParserTest() {
    ctx_.vars = &vars_;
    ctx_.registry = registry_.get();
    ctx_.classifications = &classes_;
    ctx_.file = "test.rules";
  }

  Rule loaded(std::string_view text) {
    ParseOutcome out = parse_rule_text(text, ctx_);
    EXPECT_EQ(out.status, ParseStatus::kLoaded)
        << text << "\n"
        << (out.diagnostics.empty() ? std::string("(no diagnostic)") : out.diagnostics[0].format());
    return out.rule;
  }

  // The single error of a rule, as "line:column: message".
  std::string error(std::string_view text) {
    ParseOutcome out = parse_rule_text(text, ctx_);
    EXPECT_EQ(out.status, ParseStatus::kError) << text;
    if (out.diagnostics.empty()) return "(none)";
    const Diagnostic& d = out.diagnostics[0];
    EXPECT_EQ(d.severity, Severity::kError);
    return std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column) + ": " + d.message;
  }

  Variables vars_ = Variables::suricata_defaults();
  std::unique_ptr<KeywordRegistry> registry_ = make_default_registry();
  Classifications classes_ = Classifications::defaults();
  ParseContext ctx_;
};

TEST_F(RuleParserTest, FullSuricataRule) {
  Rule r = loaded(
      "alert tcp $EXTERNAL_NET any -> $HOME_NET [22,2222] (msg:\"SSH \\\"brute\\\" force\"; "
      "flow:to_server,established; content:\"SSH-\"; depth:4; nocase; "
      "detection_filter:track by_src, count 5, seconds 60; classtype:attempted-admin; "
      "reference:url,example.org/x; reference:cve,2024-0001; "
      "metadata:created_at 2024_01_01, signature_severity Major; sid:1000001; rev:3; gid:1;)");
  EXPECT_EQ(r.action, Action::kAlert);
  ASSERT_NE(r.proto, nullptr);
  EXPECT_EQ(r.proto->name, "tcp");
  EXPECT_EQ(r.src.text, "$EXTERNAL_NET");
  EXPECT_TRUE(r.src.set.contains("8.8.8.8"));
  EXPECT_FALSE(r.src.set.contains("10.0.0.1"));
  EXPECT_TRUE(r.dst.set.contains("10.0.0.1"));
  EXPECT_TRUE(r.src_ports.set.is_any());
  EXPECT_TRUE(r.dst_ports.set.contains(2222));
  EXPECT_FALSE(r.dst_ports.set.contains(23));
  EXPECT_EQ(r.direction, Direction::kToDst);
  EXPECT_EQ(r.msg, "SSH \"brute\" force");
  EXPECT_EQ(r.sid, 1000001u);
  EXPECT_EQ(r.rev, 3u);
  EXPECT_EQ(r.gid, 1u);
  EXPECT_EQ(r.classtype, "attempted-admin");
  EXPECT_EQ(r.priority, 1);  // from the classtype
  ASSERT_EQ(r.references.size(), 2u);
  EXPECT_EQ(r.references[1].system, "cve");
  EXPECT_EQ(r.references[1].id, "2024-0001");
  ASSERT_EQ(r.metadata.size(), 2u);
  EXPECT_EQ(r.metadata[1].key, "signature_severity");
  EXPECT_EQ(r.metadata[1].value, "Major");
  EXPECT_EQ(r.dialect, Dialect::kSuricata);
  // Options in written order, with the content decoded.
  std::vector<std::string> names;
  for (const RuleOption& o : r.options) names.push_back(o.name);
  EXPECT_EQ(names, (std::vector<std::string>{"msg", "flow", "content", "depth", "nocase",
                                             "detection_filter", "classtype", "reference",
                                             "reference", "metadata", "sid", "rev", "gid"}));
  ASSERT_TRUE(r.options[2].content.has_value());
  EXPECT_EQ(r.options[2].content->bytes, "SSH-");
  EXPECT_EQ(r.options[3].value, "4");
  EXPECT_EQ(static_cast<size_t>(r.options[2].pos.column), r.text.find("content") + 1);
  EXPECT_EQ(r.pos.line, 1);
  EXPECT_EQ(r.pos.column, 1);
}

TEST_F(RuleParserTest, HeaderVariants) {
  Rule r = loaded("drop udp [10.0.0.1,2001:db8::/32] !53 <> any 1024: (sid:2;)");
  EXPECT_EQ(r.action, Action::kDrop);
  EXPECT_EQ(r.direction, Direction::kBoth);
  EXPECT_TRUE(r.src.set.contains("2001:db8::9"));
  EXPECT_FALSE(r.src_ports.set.contains(53));
  EXPECT_TRUE(r.dst_ports.set.contains(65535));
  EXPECT_FALSE(r.dst_ports.set.contains(1023));

  EXPECT_EQ(loaded("pass icmp6 any any -> any any (sid:3;)").proto->name, "icmpv6");
  EXPECT_EQ(loaded("rejectboth tcp-pkt any any -> any any (sid:4;)").action, Action::kRejectBoth);
  EXPECT_EQ(loaded("alert ip [1.1.1.1, 2.2.2.2] any -> any any (sid:5;)").src.text,
            "[1.1.1.1, 2.2.2.2]");
  EXPECT_EQ(loaded("alert sctp any any -> any any (sid:6;)").proto->ip_proto, 132);
}

TEST_F(RuleParserTest, TransactionalDirection) {
  Rule r = loaded("alert tcp $HOME_NET any => any 80 (content:\"a\"; sid:7;)");
  EXPECT_EQ(r.direction, Direction::kTransaction);
  EXPECT_NE(r.to_suricata().find(" => "), std::string::npos);
}

TEST_F(RuleParserTest, ExplicitPriorityWins) {
  EXPECT_EQ(loaded("alert ip any any -> any any (priority:4; classtype:trojan-activity; sid:7;)")
                .priority,
            4);
  EXPECT_EQ(loaded("alert ip any any -> any any (classtype:trojan-activity; priority:3; sid:8;)")
                .priority,
            3);
}

TEST_F(RuleParserTest, HeaderErrorsHaveExactColumns) {
  EXPECT_EQ(error("alrt tcp any any -> any any (sid:1;)"),
            "1:1: unknown action 'alrt' (expected alert, pass, drop, reject, rejectsrc, "
            "rejectdst or rejectboth)");
  EXPECT_EQ(error("alert tcpx any any -> any any (sid:1;)"),
            "1:7: unknown protocol 'tcpx' (e.g. ip, tcp, udp, icmp, icmpv6, http, dns, tls)");
  EXPECT_EQ(error("alert tcp [10.0.0.0/8,10.0.0.300] any -> any any (sid:1;)"),
            "1:23: '10.0.0.300' is not an IPv4 or IPv6 address, a CIDR block or 'any'");
  EXPECT_EQ(error("alert tcp $HOME_NET any -> $HOEM_NET any (sid:1;)"),
            "1:28: undefined address variable $HOEM_NET (did you mean $HOME_NET? otherwise define "
            "vars.address-groups.HOEM_NET in agent.yaml, or --var HOEM_NET=...)");
  EXPECT_EQ(error("alert tcp any 70000 -> any any (sid:1;)"),
            "1:15: '70000' is not a port number (0 to 65535)");
  EXPECT_EQ(error("alert tcp any any >> any any (sid:1;)"),
            "1:19: expected the direction '->', '<>' or '=>', found '>>'");
  EXPECT_EQ(error("alert tcp any any <- any any (sid:1;)"),
            "1:19: '<-' is not a direction: swap source and destination and use '->'");
  EXPECT_EQ(error("alert tcp any any -> any (sid:1;)"),
            "1:25: incomplete rule header: expected 'action protocol source source-ports -> "
            "destination destination-ports (options)'");
  EXPECT_EQ(error("alert tcp any any -> any any extra (sid:1;)"),
            "1:30: unexpected 'extra' after the destination ports (missing '('?)");
  EXPECT_EQ(error("alert tcp any any -> any any"), "1:29: missing '(' : the rule has no options");
}

TEST_F(RuleParserTest, OptionErrorsHaveExactColumns) {
  EXPECT_EQ(error("alert tcp any any -> any any (msg:\"x; sid:1;)"),
            "1:35: unterminated quoted string in option 'msg' (missing closing \")");
  EXPECT_EQ(error("alert tcp any any -> any any (content:\"a|0d 0|\"; sid:1;)"),
            "1:45: odd number of hex digits in |...| block (each byte needs two digits)");
  EXPECT_EQ(error("alert tcp any any -> any any (sid:1; rev:x;)"),
            "1:42: rev must be a non-negative integer, got 'x'");
  EXPECT_EQ(error("alert tcp any any -> any any (sid:0;)"),
            "1:35: sid must be a positive integer, got '0'");
  EXPECT_EQ(error("alert tcp any any -> any any (msg:\"no sid\";)"),
            "1:1: rule has no sid (every rule needs sid:<number>;)");
  EXPECT_EQ(error("alert tcp any any -> any any (sid:1; sid:2;)"),
            "1:38: sid is given twice in this rule");
  EXPECT_EQ(error("alert tcp any any -> any any (sid:1; content;)"),
            "1:38: option 'content' needs a value (content:...;)");
  EXPECT_EQ(error("alert tcp any any -> any any (sid:1; priority:0;)"),
            "1:47: priority must be a number from 1 to 255, got '0'");
  EXPECT_EQ(error("alert tcp any any -> any any (sid:1; reference:nothing;)"),
            "1:48: reference must be 'system,id' (e.g. reference:cve,2021-44228;)");
  EXPECT_EQ(error("alert tcp any any -> any any (sid:1;) trailing"),
            "1:39: unexpected text after the closing ')'");
  EXPECT_EQ(error("alert tcp any any -> any any (sid:1;"),
            "1:37: missing ')' at the end of the rule");
  EXPECT_EQ(error("alert tcp any any -> any any (sid:1; target:me;)"),
            "1:45: target must be src_ip or dest_ip, got 'me'");
}

TEST_F(RuleParserTest, ErrorOnAContinuationLine) {
  EXPECT_EQ(error("alert tcp any any -> any any ( \\\n"
                  "  msg:\"x\"; \\\n"
                  "  content:\"|0g|\"; sid:1;)"),
            "3:14: 'g' is not a hex digit (inside the |...| block)");
}

TEST_F(RuleParserTest, UnknownClasstypeIsAWarning) {
  ParseOutcome out =
      parse_rule_text("alert tcp any any -> any any (classtype:made-up; sid:1;)", ctx_);
  EXPECT_EQ(out.status, ParseStatus::kLoaded);
  ASSERT_EQ(out.diagnostics.size(), 1u);
  EXPECT_EQ(out.diagnostics[0].severity, Severity::kWarning);
  EXPECT_EQ(out.diagnostics[0].pos.column, 41);
  EXPECT_EQ(out.diagnostics[0].format(),
            "test.rules:1:41: warning: unknown classtype 'made-up' (not in "
            "classification.config); the rule has no category");
  EXPECT_EQ(out.rule.priority, 0);
}

TEST_F(RuleParserTest, UnsupportedKeywordsSkipTheWholeRule) {
  ParseOutcome out = parse_rule_text(
      "alert http any any -> any any (content:\"a\"; http_uri; tag:session,5,packets; "
      "http.host; content:\"b\"; sid:9;)",
      ctx_);
  EXPECT_EQ(out.status, ParseStatus::kSkipped);
  EXPECT_EQ(out.unsupported,
            (std::vector<std::string>{"protocol http", "http_uri", "tag", "http.host"}));
  EXPECT_EQ(out.unsupported_support,
            (std::vector<Support>{Support::kAppLayerPending, Support::kAppLayerPending,
                                  Support::kUnknown, Support::kAppLayerPending}));
  EXPECT_EQ(out.rule.sid, 9u);  // still parsed, for the report
}

TEST_F(RuleParserTest, SyntaxErrorsWinOverSkipping) {
  ParseOutcome out =
      parse_rule_text("alert http any any -> any any (http.uri; content:\"|zz|\"; sid:9;)", ctx_);
  EXPECT_EQ(out.status, ParseStatus::kError);
}

class RejectingRegistry : public KeywordRegistry {
 public:
  Support keyword_support(std::string_view) const override { return Support::kSupported; }
  Support protocol_support(const ProtocolInfo&) const override { return Support::kSupported; }
  bool validate(const RuleOption& o, std::string& error) const override {
    if (o.name == "depth" && o.value == "0") {
      error = "depth must be at least 1";
      return false;
    }
    return true;
  }
};

TEST_F(RuleParserTest, RegistryValidationErrorsPointAtTheValue) {
  RejectingRegistry reg;
  ctx_.registry = &reg;
  EXPECT_EQ(error("alert tcp any any -> any any (content:\"x\"; depth:0; sid:1;)"),
            "1:50: depth: depth must be at least 1");
  EXPECT_EQ(loaded("alert tcp any any -> any any (content:\"x\"; depth:3; sid:1;)").sid, 1u);
}

TEST_F(RuleParserTest, StickyBuffersAndModifiersKeepTheirOrder) {
  ParseOutcome out = parse_rule_text(
      "alert tcp any any -> any any (content:\"a\"; nocase; http.uri; content:\"b\"; "
      "pkt_data; content:!\"c\"; sid:1;)",
      ctx_);
  std::vector<std::string> names;
  for (const RuleOption& o : out.rule.options) names.push_back(o.name);
  EXPECT_EQ(names, (std::vector<std::string>{"content", "nocase", "http.uri", "content", "pkt_data",
                                             "content", "sid"}));
  EXPECT_TRUE(out.rule.options[5].content->negated);
}

TEST_F(RuleParserTest, PrintsBackInSuricataSyntax) {
  ParseOutcome out = parse_rule_text(
      "alert tcp $HOME_NET any <> [10.0.0.1, 10.0.0.2] 80 ( content:\"x\",depth 4,nocase; "
      "rem:\"gone\"; sid:1; )",
      ctx_);
  ASSERT_EQ(out.status, ParseStatus::kLoaded);
  EXPECT_EQ(out.rule.to_suricata(),
            "alert tcp $HOME_NET any <> [10.0.0.1, 10.0.0.2] 80 (content:\"x\"; depth:4; nocase; "
            "sid:1;)");
}

TEST_F(RuleParserTest, DefaultsWhenTheContextHasNone) {
  ParseContext bare;
  ParseOutcome out = parse_rule_text("alert tcp $HOME_NET any -> any $HTTP_PORTS (sid:1;)", bare);
  EXPECT_EQ(out.status, ParseStatus::kLoaded);
  EXPECT_TRUE(out.rule.dst_ports.set.contains(80));
}

}  // namespace
}  // namespace nsm4::rules
