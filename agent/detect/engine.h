#pragma once
// A compiled rule set: rules in evaluation order, rule groups by protocol
// with a Hyperscan prefilter over each rule's fast pattern, and the rules
// without a usable fast pattern (IP-only, header-only) that every packet of
// the group is checked against. Immutable once built; workers share it.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "detect/addr_index.h"
#include "detect/keyword.h"
#include "detect/prefilter.h"
#include "nsm4/rules/classification.h"
#include "nsm4/rules/rule_loader.h"

namespace nsm4::detect {

struct CompiledRule {
  uint32_t sid = 0, gid = 1, rev = 0;
  int priority = 3;
  rules::Action action = rules::Action::kAlert;
  std::string msg;
  std::string category;       // classification description, "" when none
  std::string metadata_json;  // {"key":["v",...],...} or empty
  // Header.
  uint8_t ip_version = 0;  // 0 any, 4 or 6 (ipv4 / ipv6 rules)
  uint8_t proto_a = 0;     // 0: any IP protocol; else one of proto_a / proto_b
  uint8_t proto_b = 0;
  bool need_ports = false;
  rules::AddressSet src, dst;
  rules::PortSet sport, dport;
  bool src_any = true, dst_any = true, sport_any = true, dport_any = true;
  bool bidirectional = false;
  // Options.
  std::vector<std::shared_ptr<const PacketMatcher>> matchers;
  std::vector<BufferProgram> programs;
  std::vector<FlowbitAction> flowbit_actions;
  bool noalert = false;
  bool has_threshold = false;
  ThresholdSpec threshold;
  bool has_detection_filter = false;
  ThresholdSpec detection_filter;
  bool needs_flow_state = false;
  // App layer. app_proto: the flow's application protocol must be this one
  // (from the header, `alert http`, or from the buffers the rule uses).
  uint8_t app_proto = 0;
  // The rule inspects transactions (it uses app-layer buffers or fields);
  // it is evaluated when a transaction of its protocol changes, not per packet.
  bool tx_rule = false;
  // Directions of the transaction it inspects: 1 the request side (on packets
  // to the server), 2 the response side, 3 either; a rule with buffers of both
  // sides (http.uri and http.stat_code) is 2 with tx_both set.
  uint8_t tx_dirs = 3;
  bool tx_both = false;
  std::vector<TxIntCheck> tx_ints;
  std::vector<std::string> tx_events;  // app-layer-event: all must have been raised on the tx
  // TCP payload rules also match the reassembled stream (content crossing
  // segments); stream_mode says packet only, stream only or either.
  StreamMode stream_mode = StreamMode::kEither;
  bool stream_capable = false;
};

struct RuleGroup {
  std::vector<uint32_t> always;  // rules checked on every packet of the group
  // Rules without a fast pattern but with a small source (or destination)
  // address set: checked only for packets from (to) those addresses.
  AddrIndex by_src, by_dst;
  std::unique_ptr<Prefilter> prefilter;
  std::vector<std::vector<uint32_t>> pattern_rules;  // pattern id -> rules
};

// Transaction rules of one application protocol, by the buffer their fast
// pattern is in.
struct TxBufferGroup {
  BufferId buffer = BufferId::kPktData;
  std::unique_ptr<Prefilter> prefilter;
  std::vector<std::vector<uint32_t>> pattern_rules;  // pattern id -> rules
};
struct TxGroup {
  std::vector<uint32_t> always;  // without a fast pattern, sorted
  std::vector<TxBufferGroup> buffers;
};

// The rules of one IP protocol: those for any destination port, and per
// destination port those written for a few ports only (a packet is checked
// against both, so each rule is looked at only for packets it can match).
struct ProtoGroups {
  RuleGroup any_port;
  std::vector<RuleGroup> port_groups;
  std::unordered_map<uint16_t, uint32_t> by_port;  // destination port -> port_groups index
  const RuleGroup* for_port(uint16_t port) const {
    auto it = by_port.find(port);
    return it == by_port.end() ? nullptr : &port_groups[it->second];
  }
};

struct EngineStats {
  size_t rules = 0;
  size_t skipped = 0;  // failed to compile (reason in the warnings)
  size_t prefiltered = 0;
  size_t port_groups = 0;
  size_t address_indexed = 0;  // rule placements found through an address index
  size_t shared_ops = 0;       // ops reused from an identical option of another rule
  size_t tx_rules = 0;         // rules inspecting app-layer transactions
};

class Engine {
 public:
  // Compiles the loaded rules. Rules that cannot be compiled are skipped with
  // a message (file:line: ...) in `messages`.
  // names: flowbit names -> ids, kept across reloads so that bits set under
  // one rule set keep their meaning under the next (nullptr: a fresh table).
  static std::shared_ptr<const Engine> build(const rules::RuleSet& set,
                                             const rules::Classifications& classes,
                                             std::vector<std::string>& messages,
                                             FlowbitNames* names = nullptr);

  const std::vector<CompiledRule>& rules() const { return rules_; }
  // The groups for a packet's IP protocol.
  const ProtoGroups& groups_for(uint8_t ip_proto) const;
  const std::vector<const Prefilter*>& prefilters() const { return prefilters_; }
  // The transaction rules of an application protocol, in evaluation order.
  const std::vector<uint32_t>& tx_rules(uint8_t app_proto) const {
    return tx_rules_[app_proto < app::kProtoCount ? app_proto : 0];
  }
  const TxGroup& tx_group(uint8_t app_proto) const {
    return tx_groups_[app_proto < app::kProtoCount ? app_proto : 0];
  }
  const EngineStats& stats() const { return stats_; }
  size_t flowbit_count() const { return flowbits_; }

 private:
  std::vector<CompiledRule> rules_;
  enum { kGroupTcp, kGroupUdp, kGroupIcmp, kGroupIcmp6, kGroupOther, kGroupCount };
  ProtoGroups groups_[kGroupCount];
  std::vector<const Prefilter*> prefilters_;
  std::vector<uint32_t> tx_rules_[app::kProtoCount];
  TxGroup tx_groups_[app::kProtoCount];
  EngineStats stats_;
  size_t flowbits_ = 0;
};

// Compiles one rule (for tests and nsm4-rules); false with err when it cannot.
bool compile_rule(const rules::Rule& r, FlowbitNames& names, CompiledRule& out, std::string& err);

}  // namespace nsm4::detect
