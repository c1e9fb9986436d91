#pragma once
// The keyword table: one row per rule keyword, each row defined in its own
// file under detect/keywords/ and listed once in keyword_table.cpp. A row
// names the keyword, says what it does (help), whether it can feed the
// multi-pattern prefilter, and parses the option text into typed matching
// structures of the rule being built (RuleBuild).
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "detect/inspect.h"
#include "nsm4/rules/rule.h"

namespace nsm4 {
struct Flow;
}

namespace nsm4::detect {

struct FlowDetectState;

// What a packet-level keyword sees.
struct PacketCtx {
  const Packet& p;
  const Flow* flow;  // nullptr for packets without a flow (fragments, non-IP)
  bool toserver;
  const FlowDetectState* state;  // per-flow detection state, nullptr when none yet
};

// A header or flow keyword (flags, ttl, flow, flowbits:isset ...).
class PacketMatcher {
 public:
  virtual ~PacketMatcher() = default;
  virtual bool match(const PacketCtx& c) const = 0;
  // A canonical text of the typed option: equal keys mean equal matchers.
  virtual std::string key() const = 0;
};

// Flowbits: what a rule does to the flow's bits once it matched.
struct FlowbitAction {
  enum Kind : uint8_t { kSet, kUnset, kToggle } kind = kSet;
  std::vector<uint32_t> bits;
};

// threshold / detection_filter.
struct ThresholdSpec {
  enum Type : uint8_t { kLimit, kThreshold, kBoth, kBackoff, kDetectionFilter } type = kLimit;
  enum Track : uint8_t { kBySrc, kByDst, kByRule, kByBoth, kByFlow } track = kBySrc;
  uint32_t count = 1;
  uint32_t seconds = 60;
  uint32_t multiplier = 1;  // backoff
  enum Unique : uint8_t { kNone, kSrcPort, kDstPort } unique = kNone;
};

// Names of flowbits in one rule set, as small integers.
class FlowbitNames {
 public:
  uint32_t id(std::string_view name) {
    auto it = ids_.find(name);
    if (it != ids_.end()) return it->second;
    uint32_t n = static_cast<uint32_t>(ids_.size());
    ids_.emplace(std::string(name), n);
    return n;
  }
  size_t size() const { return ids_.size(); }

 private:
  std::map<std::string, uint32_t, std::less<>> ids_;
};

// A comparison on an integer field of a transaction (urilen, dns.opcode,
// dns.rcode, tls.version): checked when the rule inspects a transaction.
struct TxIntCheck {
  TxInt field = TxInt::kHttpUriLen;
  UintCmp cmp;
  bool negated = false;
  uint8_t app_proto = 0;
  uint8_t dirs = 3;  // 1 request side, 2 response side, 3 either
  std::string key() const;
};

// A buffer's keyword list while the rule is built (ops still mutable).
struct BuildProgram {
  BufferId buffer = BufferId::kPktData;
  std::vector<std::shared_ptr<const Transform>> transforms;
  std::vector<std::shared_ptr<Op>> ops;
};

// Where a TCP rule's payload keywords look: the packet's payload, the
// reassembled stream, or either (Suricata's default for tcp rules).
enum class StreamMode : uint8_t { kEither, kPacketOnly, kStreamOnly };

// The rule being compiled, as the keyword parsers fill it in.
struct RuleBuild {
  // Registry validation: options are parsed without their rule, so
  // modifiers get a stand-in content to modify.
  bool validating = false;
  FlowbitNames* flowbit_names = nullptr;

  BufferId current = BufferId::kPktData;
  std::vector<BuildProgram> programs;
  int current_program = -1;  // index in programs of the current buffer's list
  ContentOp* last_content = nullptr;
  // The buffer of the last content or pcre: where a relative keyword goes when
  // no sticky buffer is selected (after uricontent or content; http_uri ...).
  BufferId anchor_buffer = BufferId::kPktData;
  std::vector<std::shared_ptr<const PacketMatcher>> matchers;
  std::vector<FlowbitAction> flowbit_actions;
  std::vector<TxIntCheck> tx_ints;
  std::vector<std::string> tx_events;  // app-layer-event names, lower case
  uint8_t app_proto = 0;               // app::Proto the options need (from app buffers, urilen ...)
  std::map<std::string, int8_t, std::less<>> vars;  // byte_extract / byte_math names
  bool noalert = false;
  bool never_matches = false;  // e.g. flow:only_frag
  StreamMode stream_mode = StreamMode::kEither;
  bool has_threshold = false;
  ThresholdSpec threshold;
  bool has_detection_filter = false;
  ThresholdSpec detection_filter;
  // flow: direction and state, also used to place the rule.
  bool flow_toserver = false, flow_toclient = false;
  bool flowbits_set = false, flowbits_read = false;  // for ordering

  BuildProgram& program();  // of the current buffer (created on first use)
  // Adds an op to the current buffer (a relative non-content op without a
  // sticky buffer: to the buffer of the last content or pcre; pcre excepted). Relative ops
  // mark the previous content or pcre of that buffer so that it is searched
  // again when they fail.
  void add_op(std::shared_ptr<Op> op);
  // The last content/pcre before `skip` in the buffer holding `skip` (the
  // current buffer when `skip` is null or in none), or nullptr.
  Op* prev_anchor(const Op* skip = nullptr);
  // Resolves a number or a byte_extract variable name.
  bool int_or_var(std::string_view text, IntOrVar& out, int64_t min, int64_t max,
                  std::string& err) const;
  // For modifiers: the content they modify.
  ContentOp* content_for(std::string_view keyword, std::string& err);
  // Selects buffer `b` for what follows (a sticky buffer keyword).
  bool select_buffer(const BufferDef& b, std::string& err);
  // Moves the last content (or pcre) of the current buffer to buffer `b`:
  // the legacy modifiers (http_uri, http_header ...) and pcre's /U /H ...
  bool move_last_to(const BufferDef& b, std::string_view keyword, std::string& err);
  // A transform (to_lowercase, from_base64 ...) on the current buffer; it must
  // come before the buffer's first content.
  bool add_transform(std::shared_ptr<const Transform> t, std::string_view keyword,
                     std::string& err);
  // A comparison ([!]N, <N, >N, N<>M ... up to max) on an integer field of
  // the transaction (dns.opcode, dns.rcode).
  bool add_tx_uint(std::string_view value, TxInt field, uint8_t proto, uint8_t dirs, uint64_t max,
                   std::string& err);
  // Records that the rule needs application protocol `proto`.
  bool need_app_proto(uint8_t proto, std::string& err);

 private:
  std::shared_ptr<ContentOp> standin_;
};

enum KeywordFlags : uint8_t {
  kKwPrefilter = 1 << 0,  // can provide the fast pattern
  kKwModifier = 1 << 1,   // modifies the previous content
  kKwSticky = 1 << 2,     // selects the buffer for what follows
  kKwMeta = 1 << 3,       // decoded by the rule parser (msg, sid, ...)
};

struct KeywordDef {
  std::string_view name;
  std::string_view help;
  uint8_t flags = 0;
  // Parses one option into `rb`; on failure an admin-level message in err.
  bool (*parse)(const rules::RuleOption& opt, RuleBuild& rb, std::string& err) = nullptr;
};

// The rows made from the buffer registry: every app-layer sticky buffer
// (http.uri, dns.query ...), its legacy sticky spelling (file_data,
// dns_query, tls_sni ...) and the legacy content modifiers (http_uri,
// http_header ...). keywords/app_buffers.cpp.
std::span<const KeywordDef> app_buffer_keywords();

// The rows made from the transform table (detect/transforms/):
// keywords/transforms.cpp.
std::span<const KeywordDef> transform_keywords();

// The complete list of keywords (keyword_table.cpp).
std::span<const KeywordDef> keyword_table();
const KeywordDef* find_keyword(std::string_view name);

// A matcher from a function and a key, for the many small header keywords.
template <typename Data>
class SimpleMatcher : public PacketMatcher {
 public:
  using Fn = bool (*)(const Data&, const PacketCtx&);
  SimpleMatcher(std::string key, Data d, Fn fn) : key_(std::move(key)), data_(d), fn_(fn) {}
  bool match(const PacketCtx& c) const override { return fn_(data_, c); }
  std::string key() const override { return key_; }

 private:
  std::string key_;
  Data data_;
  Fn fn_;
};

template <typename Data>
std::shared_ptr<const PacketMatcher> make_matcher(std::string_view kw, std::string_view value,
                                                  Data d, typename SimpleMatcher<Data>::Fn fn) {
  std::string key(kw);
  key += ':';
  key += value;
  return std::make_shared<SimpleMatcher<Data>>(std::move(key), d, fn);
}

// Keyword rows, each defined in detect/keywords/<name>.cpp.
// clang-format off
#define NSM4_KEYWORDS(X) \
  X(msg) \
  X(sid) \
  X(rev) \
  X(gid) \
  X(classtype) \
  X(priority) \
  X(reference) \
  X(metadata) \
  X(target) \
  X(content) \
  X(nocase) \
  X(offset) \
  X(depth) \
  X(distance) \
  X(within) \
  X(fast_pattern) \
  X(startswith) \
  X(endswith) \
  X(rawbytes) \
  X(pcre) \
  X(isdataat) \
  X(bsize) \
  X(dsize) \
  X(byte_test) \
  X(byte_jump) \
  X(byte_extract) \
  X(byte_math) \
  X(flow) \
  X(flags) \
  X(tcp_flags) \
  X(window) \
  X(seq) \
  X(ack) \
  X(ttl) \
  X(id) \
  X(fragbits) \
  X(ip_proto) \
  X(ipopts) \
  X(itype) \
  X(icode) \
  X(icmp_id) \
  X(icmp_seq) \
  X(pkt_data) \
  X(ipv4_hdr) \
  X(ipv6_hdr) \
  X(tcp_hdr) \
  X(udp_hdr) \
  X(icmpv4_hdr) \
  X(icmpv6_hdr) \
  X(flowbits) \
  X(threshold) \
  X(detection_filter) \
  X(noalert) \
  X(app_layer_protocol) \
  X(uricontent) \
  X(urilen) \
  X(dns_opcode) \
  X(dns_rcode) \
  X(tls_version) \
  X(app_layer_event)
// clang-format on

#define NSM4_DECLARE_KEYWORD(n) extern const KeywordDef kKeyword_##n;
NSM4_KEYWORDS(NSM4_DECLARE_KEYWORD)
#undef NSM4_DECLARE_KEYWORD

}  // namespace nsm4::detect
