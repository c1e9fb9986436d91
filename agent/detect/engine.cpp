#include "detect/engine.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "nsm4/common/json_writer.h"

namespace nsm4::detect {

namespace {

// Identical options of different rules become one shared object.
class Interner {
 public:
  std::shared_ptr<const Op> op(std::shared_ptr<Op> o) {
    auto [it, inserted] = ops_.try_emplace(o->key(), o);
    if (!inserted) ++shared;
    return it->second;
  }
  std::shared_ptr<const PacketMatcher> matcher(std::shared_ptr<const PacketMatcher> m) {
    auto [it, inserted] = matchers_.try_emplace(m->key(), m);
    if (!inserted) ++shared;
    return it->second;
  }
  size_t shared = 0;

 private:
  std::unordered_map<std::string, std::shared_ptr<const Op>> ops_;
  std::unordered_map<std::string, std::shared_ptr<const PacketMatcher>> matchers_;
};

std::string metadata_json(const rules::Rule& r) {
  if (r.metadata.empty()) return {};
  std::map<std::string, std::vector<std::string>> by_key;
  std::vector<std::string> order;
  for (const auto& m : r.metadata) {
    if (!by_key.count(m.key)) order.push_back(m.key);
    by_key[m.key].push_back(m.value);
  }
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  for (const auto& k : order) {
    w.key(k).begin_array();
    for (const auto& v : by_key[k]) w.value(std::string_view(v));
    w.end_array();
  }
  w.end_object();
  return out;
}

int action_rank(rules::Action a) {
  switch (a) {
    case rules::Action::kPass:
      return 0;
    case rules::Action::kDrop:
      return 1;
    case rules::Action::kReject:
    case rules::Action::kRejectSrc:
    case rules::Action::kRejectDst:
    case rules::Action::kRejectBoth:
      return 2;
    default:
      return 3;
  }
}

struct FastPattern {
  const ContentOp* content = nullptr;
  std::string bytes;
  BufferId buffer = BufferId::kPktData;
};

// The content the prefilter looks for: among the buffers the rule's group is
// scanned on (pkt_data for packet rules, the app-layer buffers for
// transaction rules; never a transformed buffer), the one marked
// fast_pattern, else the longest non-negated one. None when fast_pattern is
// on a buffer that is not scanned.
FastPattern pick_fast_pattern(const CompiledRule& r) {
  auto scanned = [&](const BufferProgram& p) {
    if (!p.transforms.empty()) return false;
    return r.tx_rule ? buffer_def(p.buffer).is_app() : p.buffer == BufferId::kPktData;
  };
  FastPattern fp;
  for (const BufferProgram& p : r.programs) {
    for (const auto& op : p.ops) {
      if (op->kind != OpKind::kContent) continue;
      const auto& c = static_cast<const ContentOp&>(*op);
      if (c.fast_pattern && !scanned(p)) return {};
    }
  }
  for (const BufferProgram& p : r.programs) {
    if (!scanned(p)) continue;
    for (const auto& op : p.ops) {
      if (op->kind != OpKind::kContent) continue;
      const auto& c = static_cast<const ContentOp&>(*op);
      if (c.negated) continue;
      if (c.fast_pattern) {
        fp.content = &c;
        fp.buffer = p.buffer;
        break;
      }
      if (!fp.content || c.bytes.size() > fp.content->bytes.size()) {
        fp.content = &c;
        fp.buffer = p.buffer;
      }
    }
    if (fp.content && fp.content->fast_pattern) break;
  }
  if (fp.content) {
    const ContentOp& c = *fp.content;
    fp.bytes = c.fp_len > 0
                   ? c.bytes.substr(static_cast<size_t>(c.fp_offset), static_cast<size_t>(c.fp_len))
                   : c.bytes;
  }
  return fp;
}

// The transaction rules of one application protocol: a prefilter per
// buffer over the fast patterns found in it, and the rules without one.
// One Hyperscan database over the fast patterns of `rules` (each has one):
// equal patterns share an id, pattern_rules maps an id to its rules in rule
// order. nullptr with err when Hyperscan refuses the set.
std::unique_ptr<Prefilter> build_prefilter(const std::vector<uint32_t>& rules,
                                           const std::vector<FastPattern>& fps,
                                           std::vector<std::vector<uint32_t>>& pattern_rules,
                                           std::string& err) {
  std::map<std::pair<std::string, bool>, uint32_t> ids;
  std::vector<PrefilterPattern> patterns;
  for (uint32_t idx : rules) {
    const FastPattern& fp = fps[idx];
    auto [it, inserted] = ids.try_emplace(std::make_pair(fp.bytes, fp.content->nocase),
                                          static_cast<uint32_t>(patterns.size()));
    if (inserted) {
      patterns.push_back({fp.bytes, fp.content->nocase});
      pattern_rules.emplace_back();
    }
    pattern_rules[it->second].push_back(idx);
  }
  return Prefilter::build(patterns, err);
}

void build_tx_group(TxGroup& grp, const std::vector<uint32_t>& rules,
                    const std::vector<CompiledRule>& all, const std::vector<FastPattern>& fps,
                    std::vector<std::string>& messages) {
  std::map<BufferId, std::vector<uint32_t>> by_buffer;
  for (uint32_t idx : rules) {
    if (fps[idx].content) {
      by_buffer[fps[idx].buffer].push_back(idx);
    } else {
      grp.always.push_back(idx);
    }
  }
  for (auto& [buffer, list] : by_buffer) {
    TxBufferGroup bg;
    bg.buffer = buffer;
    for (uint32_t idx : list)
      if (all[idx].tx_both) bg.any_both = true;
    std::string err;
    bg.prefilter = build_prefilter(list, fps, bg.pattern_rules, err);
    if (!bg.prefilter) {
      messages.push_back("prefilter: " + err + "; checking every rule of the buffer");
      grp.always.insert(grp.always.end(), list.begin(), list.end());
      continue;
    }
    grp.buffers.push_back(std::move(bg));
  }
  std::sort(grp.always.begin(), grp.always.end());
}

size_t build_group(RuleGroup& grp, const std::vector<uint32_t>& rules,
                   const std::vector<CompiledRule>& all, const std::vector<FastPattern>& fps,
                   std::vector<std::string>& messages) {
  std::vector<uint32_t> with_fp;
  size_t indexed = 0;
  for (uint32_t idx : rules) {
    if (fps[idx].content) {
      with_fp.push_back(idx);
      continue;
    }
    const CompiledRule& r = all[idx];
    if (!r.bidirectional && !r.src_any && AddrIndex::small(r.src)) {
      grp.by_src.add(r.src, idx);
      ++indexed;
    } else if (!r.bidirectional && !r.dst_any && AddrIndex::small(r.dst)) {
      grp.by_dst.add(r.dst, idx);
      ++indexed;
    } else {
      grp.always.push_back(idx);
    }
  }
  grp.by_src.build();
  grp.by_dst.build();
  if (with_fp.empty()) return indexed;
  std::string err;
  grp.prefilter = build_prefilter(with_fp, fps, grp.pattern_rules, err);
  if (grp.prefilter) return indexed;
  // Without a prefilter every rule of the group is checked.
  messages.push_back("prefilter: " + err + "; checking every rule of the group");
  grp.always.insert(grp.always.end(), with_fp.begin(), with_fp.end());
  std::sort(grp.always.begin(), grp.always.end());
  grp.pattern_rules.clear();
  return indexed;
}

}  // namespace

namespace {

// Which sides of a transaction the rule inspects, from its buffers, its
// integer fields and flow:to_server / to_client.
void set_tx_directions(CompiledRule& out, const RuleBuild& rb) {
  uint8_t need = 0;  // sides that a buffer or field exists on only
  bool any = false;
  for (const BufferProgram& p : out.programs) {
    const BufferDef& b = buffer_def(p.buffer);
    if (!b.is_app()) continue;
    any = true;
    if (b.dirs != 3) need |= b.dirs;
  }
  for (const TxIntCheck& t : out.tx_ints) {
    any = true;
    if (t.dirs != 3) need |= t.dirs;
  }
  if (!out.tx_events.empty()) any = true;
  out.tx_rule = any;
  if (!any) return;
  uint8_t flow_dirs = rb.flow_toserver ? 1 : rb.flow_toclient ? 2 : 3;
  if (need == 3) {
    out.tx_both = true;
    out.tx_dirs = 2;
  } else if (need) {
    out.tx_dirs = need;
  } else {
    out.tx_dirs = flow_dirs;
  }
}

}  // namespace

bool compile_rule(const rules::Rule& r, FlowbitNames& names, CompiledRule& out, std::string& err) {
  RuleBuild rb;
  rb.flowbit_names = &names;
  for (const rules::RuleOption& o : r.options) {
    const KeywordDef* k = find_keyword(o.name);
    if (!k) {
      if (rules::is_parser_keyword(o.name)) continue;
      err = "keyword '" + o.name + "' is not supported";
      return false;
    }
    if (!k->parse) continue;
    std::string e;
    if (!k->parse(o, rb, e)) {
      err = o.name + ": " + e;
      return false;
    }
  }
  out.sid = r.sid;
  out.gid = r.gid;
  out.rev = r.rev;
  out.action = r.action;
  out.msg = r.msg;
  out.priority = r.priority ? r.priority : 3;
  out.metadata_json = metadata_json(r);
  const rules::ProtocolInfo* proto = r.proto;
  if (!proto) {
    err = "no protocol";
    return false;
  }
  if (proto->layer == rules::ProtoLayer::kApp) {
    uint8_t ap = app::proto_from_name(proto->name);
    if (!ap) {
      err = "protocol '" + std::string(proto->name) + "' needs app-layer parsing nsm4 lacks";
      return false;
    }
    if (!rb.need_app_proto(ap, err)) return false;
    if (proto->ip_proto) {
      out.proto_a = out.proto_b = proto->ip_proto;
      out.need_ports = true;
    }
  }
  out.app_proto = rb.app_proto;
  if (proto->name == "tcp-stream") rb.stream_mode = StreamMode::kStreamOnly;
  if (proto->name == "tcp-pkt") rb.stream_mode = StreamMode::kPacketOnly;
  if (proto->name == "ipv4") out.ip_version = 4;
  if (proto->name == "ipv6") out.ip_version = 6;
  if (proto->layer == rules::ProtoLayer::kTransport) {
    out.proto_a = out.proto_b = proto->ip_proto;
    if (proto->ip_proto == 1) out.proto_b = 58;  // Suricata's icmp covers ICMPv6 too
    out.need_ports = proto->ip_proto == 6 || proto->ip_proto == 17 || proto->ip_proto == 132;
  }
  if (rb.never_matches) {
    err = "never matches (flow:only_frag: fragments are reassembled before detection)";
    return false;
  }
  out.src = r.src.set;
  out.dst = r.dst.set;
  out.sport = r.src_ports.set;
  out.dport = r.dst_ports.set;
  out.src_any = out.src.is_any();
  out.dst_any = out.dst.is_any();
  out.sport_any = out.sport.is_any();
  out.dport_any = out.dport.is_any();
  out.bidirectional = r.direction == rules::Direction::kBoth;
  out.matchers = std::move(rb.matchers);
  for (BuildProgram& p : rb.programs) {
    BufferProgram bp;
    bp.buffer = p.buffer;
    bp.transforms = p.transforms;
    for (auto& op : p.ops) bp.ops.push_back(op);
    out.programs.push_back(std::move(bp));
  }
  out.flowbit_actions = std::move(rb.flowbit_actions);
  out.noalert = rb.noalert;
  out.has_threshold = rb.has_threshold;
  out.threshold = rb.threshold;
  out.has_detection_filter = rb.has_detection_filter;
  out.detection_filter = rb.detection_filter;
  out.needs_flow_state = rb.flowbits_read || rb.flowbits_set;
  if (r.direction == rules::Direction::kTransaction && !rb.app_proto) {
    err = "'=>' needs app-layer keywords (a transaction to match both ways)";
    return false;
  }
  out.tx_ints = std::move(rb.tx_ints);
  out.tx_events = std::move(rb.tx_events);
  out.stream_mode = rb.stream_mode;
  const bool tcp = out.proto_a == 6;
  bool payload = false;
  for (const BufferProgram& p : out.programs)
    if (p.buffer == BufferId::kPktData)
      for (const auto& op : p.ops)
        if (op->kind == OpKind::kContent || op->kind == OpKind::kPcre) payload = true;
  out.stream_capable = tcp && payload && out.stream_mode != StreamMode::kPacketOnly;
  set_tx_directions(out, rb);
  // Transactional (=>): both sides of one transaction, checked when the
  // response side is, the header as the request went.
  if (r.direction == rules::Direction::kTransaction && out.tx_rule) {
    out.tx_both = true;
    out.tx_dirs = 2;
  }
  return true;
}

std::shared_ptr<const Engine> Engine::build(const rules::RuleSet& set,
                                            const rules::Classifications& classes,
                                            std::vector<std::string>& messages,
                                            FlowbitNames* persistent) {
  auto e = std::shared_ptr<Engine>(new Engine());
  FlowbitNames local;
  FlowbitNames& names = persistent ? *persistent : local;
  Interner interner;
  struct Sortable {
    CompiledRule rule;
    int action, flowbits;
    size_t file_order;
  };
  std::vector<Sortable> list;
  for (size_t i = 0; i < set.rules.size(); ++i) {
    const rules::Rule& r = set.rules[i];
    CompiledRule cr;
    std::string err;
    if (!compile_rule(r, names, cr, err)) {
      messages.push_back(r.file + ":" + std::to_string(r.pos.line) + ": sid " +
                         std::to_string(r.sid) + " skipped: " + err);
      ++e->stats_.skipped;
      continue;
    }
    if (!r.classtype.empty()) {
      if (const rules::Classtype* c = classes.find(r.classtype)) cr.category = c->description;
    }
    for (auto& m : cr.matchers) m = interner.matcher(m);
    for (auto& p : cr.programs)
      for (auto& op : p.ops) op = interner.op(std::const_pointer_cast<Op>(op));
    bool sets = !cr.flowbit_actions.empty();
    bool reads = false;
    for (const rules::RuleOption& o : r.options)
      if (o.name == "flowbits" && (o.value.find("isset") != std::string::npos ||
                                   o.value.find("isnotset") != std::string::npos))
        reads = true;
    // Suricata's order: setters before setter-readers before readers before the rest.
    int fb = sets && !reads ? 0 : sets && reads ? 1 : reads ? 2 : 3;
    list.push_back({std::move(cr), action_rank(r.action), fb, i});
  }
  std::stable_sort(list.begin(), list.end(), [](const Sortable& a, const Sortable& b) {
    if (a.action != b.action) return a.action < b.action;
    if (a.flowbits != b.flowbits) return a.flowbits < b.flowbits;
    if (a.rule.priority != b.rule.priority) return a.rule.priority < b.rule.priority;
    if (a.rule.sid != b.rule.sid) return a.rule.sid < b.rule.sid;
    return a.file_order < b.file_order;
  });
  for (auto& s : list) e->rules_.push_back(std::move(s.rule));
  e->stats_.rules = e->rules_.size();
  e->stats_.shared_ops = interner.shared;
  e->flowbits_ = names.size();

  // Groups by protocol: a rule goes to every group its protocol can match;
  // inside, by destination port when it names only a few.
  const uint8_t group_proto[kGroupCount] = {6, 17, 1, 58, 0};
  constexpr uint32_t kMaxPortsForGroup = 32;
  std::vector<FastPattern> fps;
  for (const CompiledRule& r : e->rules_) {
    fps.push_back(pick_fast_pattern(r));
    if (fps.back().content) ++e->stats_.prefiltered;
  }
  for (uint32_t idx = 0; idx < e->rules_.size(); ++idx) {
    const CompiledRule& r = e->rules_[idx];
    if (!r.tx_rule) continue;
    e->tx_rules_[r.app_proto].push_back(idx);
    ++e->stats_.tx_rules;
  }
  for (uint8_t ap = 0; ap < app::kProtoCount; ++ap) {
    build_tx_group(e->tx_groups_[ap], e->tx_rules_[ap], e->rules_, fps, messages);
    for (const TxBufferGroup& bg : e->tx_groups_[ap].buffers)
      e->prefilters_.push_back(bg.prefilter.get());
  }
  for (int g = 0; g < kGroupCount; ++g) {
    std::vector<uint32_t> any_rules;
    std::map<uint16_t, std::vector<uint32_t>> port_rules;
    for (uint32_t idx = 0; idx < e->rules_.size(); ++idx) {
      const CompiledRule& r = e->rules_[idx];
      if (r.tx_rule) continue;
      bool in = r.proto_a == 0 || r.proto_a == group_proto[g] || r.proto_b == group_proto[g];
      if (g == kGroupOther)
        in = r.proto_a == 0 ||
             (r.proto_a != 6 && r.proto_a != 17 && r.proto_a != 1 && r.proto_a != 58);
      if (!in) continue;
      uint32_t nports = 0;
      if (r.need_ports && !r.dport_any && !r.bidirectional) {
        for (const auto& iv : r.dport.intervals().ranges()) nports += iv.hi - iv.lo + 1u;
      }
      if (nports == 0 || nports > kMaxPortsForGroup) {
        any_rules.push_back(idx);
        continue;
      }
      for (const auto& iv : r.dport.intervals().ranges())
        for (uint32_t port = iv.lo; port <= iv.hi; ++port)
          port_rules[static_cast<uint16_t>(port)].push_back(idx);
    }
    ProtoGroups& pg = e->groups_[g];
    e->stats_.address_indexed += build_group(pg.any_port, any_rules, e->rules_, fps, messages);
    std::map<std::vector<uint32_t>, uint32_t> same;  // ports with the same rules share a group
    for (auto& [port, list] : port_rules) {
      auto [it, inserted] = same.try_emplace(list, static_cast<uint32_t>(pg.port_groups.size()));
      if (inserted) {
        pg.port_groups.emplace_back();
        e->stats_.address_indexed +=
            build_group(pg.port_groups.back(), list, e->rules_, fps, messages);
      }
      pg.by_port[port] = it->second;
    }
    e->stats_.port_groups += pg.port_groups.size();
  }
  for (auto& pg : e->groups_) {
    if (pg.any_port.prefilter) e->prefilters_.push_back(pg.any_port.prefilter.get());
    for (auto& g : pg.port_groups)
      if (g.prefilter) e->prefilters_.push_back(g.prefilter.get());
  }
  return e;
}

const ProtoGroups& Engine::groups_for(uint8_t ip_proto) const {
  switch (ip_proto) {
    case 6:
      return groups_[kGroupTcp];
    case 17:
      return groups_[kGroupUdp];
    case 1:
      return groups_[kGroupIcmp];
    case 58:
      return groups_[kGroupIcmp6];
    default:
      return groups_[kGroupOther];
  }
}

}  // namespace nsm4::detect
