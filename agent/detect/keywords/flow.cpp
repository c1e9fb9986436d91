// flow: direction and state of the packet's flow (to_server, to_client,
// established, not_established, stateless, only_stream, no_stream ...).
#include "flow/flow.h"

#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

namespace {

struct FlowOpt {
  bool toserver = false, toclient = false, established = false, not_established = false;
};

bool match(const FlowOpt& o, const PacketCtx& c) {
  if (!c.flow) return !(o.toserver || o.toclient || o.established || o.not_established);
  if (o.toserver && !c.toserver) return false;
  if (o.toclient && c.toserver) return false;
  const bool est = c.flow->state == FlowState::kEstablished;
  if (o.established && !est) return false;
  if (o.not_established && est) return false;
  return true;
}

bool parse(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  FlowOpt f;
  std::string key;
  for (std::string_view w : split(o.value, ',')) {
    if (w == "to_server" || w == "from_client") {
      f.toserver = true;
    } else if (w == "to_client" || w == "from_server") {
      f.toclient = true;
    } else if (w == "established") {
      f.established = true;
    } else if (w == "not_established") {
      f.not_established = true;
    } else if (w == "no_stream") {
      rb.stream_mode = StreamMode::kPacketOnly;
    } else if (w == "stateless" || w == "no_frag") {
    } else if (w == "only_stream" || w == "stream_only") {
      rb.stream_mode = StreamMode::kStreamOnly;
    } else if (w == "only_frag") {
      rb.never_matches = true;
    } else {
      err = "unknown flow option '" + std::string(w) +
            "' (to_server, to_client, established, not_established, stateless, only_stream, "
            "no_stream)";
      return false;
    }
  }
  if (f.toserver && f.toclient) {
    err = "to_server and to_client cannot both be set";
    return false;
  }
  if (f.established && f.not_established) {
    err = "established and not_established cannot both be set";
    return false;
  }
  rb.flow_toserver = f.toserver;
  rb.flow_toclient = f.toclient;
  key = std::string(f.toserver ? "s" : "") + (f.toclient ? "c" : "") + (f.established ? "e" : "") +
        (f.not_established ? "n" : "");
  rb.matchers.push_back(make_matcher("flow", key, f, match));
  return true;
}

}  // namespace

extern const KeywordDef kKeyword_flow{
    "flow", "direction and state of the flow: to_server, to_client, established ...", 0, parse};

}  // namespace nsm4::detect
