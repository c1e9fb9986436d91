#pragma once
// Helpers for the detection tests: rules from text, crafted packets.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "decode/packet.h"
#include "detect/engine.h"
#include "detect/registry.h"
#include "flow/flow.h"
#include "nsm4/rules/rule_loader.h"

namespace nsm4::detect::test {

// Loads rules (one a line) with the detection registry.
inline rules::RuleSet load(const std::string& text) {
  static const rules::Variables vars = rules::Variables::suricata_defaults();
  auto reg = make_registry();
  rules::ParseContext ctx;
  ctx.vars = &vars;
  ctx.registry = reg.get();
  rules::RuleLoader loader(ctx);
  loader.load_text(text, "test.rules");
  return loader.take();
}

inline std::shared_ptr<const Engine> engine(const std::string& text,
                                            std::vector<std::string>* msgs = nullptr) {
  rules::RuleSet set = load(text);
  for (const auto& d : set.diagnostics) ADD_FAILURE() << d.format();
  std::vector<std::string> m;
  auto e = Engine::build(set, rules::Classifications::defaults(), m);
  if (msgs) *msgs = m;
  return e;
}

// A TCP/UDP/ICMP packet over IPv4 with the given payload (kept alive by the caller).
inline Packet ipv4_packet(const std::string& payload, uint8_t proto = 6,
                          const char* src = "10.0.0.1", const char* dst = "10.0.0.2",
                          uint16_t sport = 1234, uint16_t dport = 80) {
  Packet p;
  p.ip_version = 4;
  auto s = rules::parse_ipv4(src);
  auto d = rules::parse_ipv4(dst);
  uint8_t sb[4] = {uint8_t(*s >> 24), uint8_t(*s >> 16), uint8_t(*s >> 8), uint8_t(*s)};
  uint8_t db[4] = {uint8_t(*d >> 24), uint8_t(*d >> 16), uint8_t(*d >> 8), uint8_t(*d)};
  p.src = IpAddr::v4(sb);
  p.dst = IpAddr::v4(db);
  p.ip_proto = proto;
  p.ttl = 64;
  p.l4 = proto == 6 ? Layer::kTcp : proto == 17 ? Layer::kUdp : Layer::kIcmpv4;
  p.sport = sport;
  p.dport = dport;
  p.payload = reinterpret_cast<const uint8_t*>(payload.data());
  p.payload_len = static_cast<uint32_t>(payload.size());
  p.ts = {1000, 0};
  return p;
}

inline Flow make_flow(uint64_t id, bool established = true) {
  Flow f;
  f.flow_id = id;
  f.state = established ? FlowState::kEstablished : FlowState::kNew;
  return f;
}

}  // namespace nsm4::detect::test
