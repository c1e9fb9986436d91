#include "engine/agent_settings.h"

#include <unistd.h>

#include <thread>

#include "engine/forward_settings.h"

namespace nsm4 {

namespace {

ChecksumMode parse_checksum(const std::string& v) {
  if (v == "none" || v == "no" || v == "off") return ChecksumMode::kOff;
  if (v == "auto") return ChecksumMode::kAuto;
  if (v == "all" || v == "yes" || v == "on") return ChecksumMode::kOn;
  throw ConfigError("config capture.checksum-validation: expected none, auto or all, got '" + v +
                    "'");
}

DefragPolicy parse_defrag_policy(const std::string& v) {
  if (v == "bsd") return DefragPolicy::kBsd;
  if (v == "first") return DefragPolicy::kFirst;
  if (v == "last") return DefragPolicy::kLast;
  if (v == "linux") return DefragPolicy::kLinux;
  if (v == "windows") return DefragPolicy::kWindows;
  if (v == "solaris") return DefragPolicy::kSolaris;
  throw ConfigError(
      "config defrag.policy: expected bsd, first, last, linux, windows or solaris, got '" + v +
      "'");
}

StreamPolicy parse_stream_policy(const std::string& v) {
  if (v == "bsd") return StreamPolicy::kBsd;
  if (v == "first") return StreamPolicy::kFirst;
  if (v == "last") return StreamPolicy::kLast;
  if (v == "linux") return StreamPolicy::kLinux;
  if (v == "windows") return StreamPolicy::kWindows;
  if (v == "solaris") return StreamPolicy::kSolaris;
  throw ConfigError(
      "config stream.reassembly.policy: expected bsd, first, last, linux, windows or solaris, "
      "got '" +
      v + "'");
}

FlowTimeouts timeouts(const Config& cfg, const std::string& proto, FlowTimeouts def) {
  std::string base = "flow.timeouts." + proto + ".";
  def.new_ = static_cast<uint32_t>(cfg.get_int(base + "new", def.new_));
  def.established = static_cast<uint32_t>(cfg.get_int(base + "established", def.established));
  def.closed = static_cast<uint32_t>(cfg.get_int(base + "closed", def.closed));
  return def;
}

uint16_t port(const Config& cfg, const std::string& key, uint16_t def) {
  auto v = cfg.get_int(key, def);
  if (v < 1 || v > 65535) throw ConfigError("config " + key + ": not a port: " + std::to_string(v));
  return static_cast<uint16_t>(v);
}

}  // namespace

AgentSettings settings_from_config(const Config& cfg, bool live) {
  AgentSettings s;
  auto& cap = s.capture;
  cap.snaplen = static_cast<int>(cfg.get_int("capture.snaplen", cap.snaplen));
  if (cap.snaplen < 64 || cap.snaplen > 262144)
    throw ConfigError("config capture.snaplen: must be between 64 and 262144");
  cap.buffer_size = static_cast<int>(cfg.get_size("capture.buffer-size", 0));
  cap.promisc = cfg.get_bool("capture.promisc", true);
  cap.bpf = cfg.get_string("capture.bpf", "");
  s.run_for_sec = static_cast<int>(cfg.get_int("capture.run-for", 0));

  auto& pl = s.pipeline;
  unsigned cores = std::thread::hardware_concurrency();
  pl.workers = static_cast<int>(cfg.get_int("workers", cores ? cores : 1));
  if (pl.workers < 1 || pl.workers > 256)
    throw ConfigError("config workers: must be between 1 and 256");
  pl.stats_interval_sec = static_cast<int>(cfg.get_int("stats.interval", 8));

  auto& dc = pl.decode;
  dc.checksum =
      parse_checksum(cfg.get_string("capture.checksum-validation", live ? "auto" : "none"));
  dc.max_layers = static_cast<int>(cfg.get_int("decoder.max-layers", dc.max_layers));
  dc.max_ipv6_exthdrs =
      static_cast<int>(cfg.get_int("decoder.ipv6.max-exthdrs", dc.max_ipv6_exthdrs));
  dc.vxlan = cfg.get_bool("decoder.vxlan.enabled", dc.vxlan);
  dc.vxlan_port = port(cfg, "decoder.vxlan.port", dc.vxlan_port);
  dc.geneve = cfg.get_bool("decoder.geneve.enabled", dc.geneve);
  dc.geneve_port = port(cfg, "decoder.geneve.port", dc.geneve_port);
  dc.teredo = cfg.get_bool("decoder.teredo.enabled", dc.teredo);
  dc.teredo_port = port(cfg, "decoder.teredo.port", dc.teredo_port);

  auto& df = pl.defrag;
  df.memcap = cfg.get_size("defrag.memcap", df.memcap);
  df.timeout_sec = static_cast<uint32_t>(cfg.get_int("defrag.timeout", df.timeout_sec));
  df.max_frags = static_cast<uint32_t>(cfg.get_int("defrag.max-frags", df.max_frags));
  df.policy = parse_defrag_policy(cfg.get_string("defrag.policy", "bsd"));

  auto& fc = pl.worker.flow;
  fc.memcap = cfg.get_size("flow.memcap", fc.memcap);
  fc.midstream = cfg.get_bool("stream.midstream", false);
  fc.async_oneside = cfg.get_bool("stream.async-oneside", false);
  fc.tcp = timeouts(cfg, "tcp", fc.tcp);
  fc.udp = timeouts(cfg, "udp", fc.udp);
  fc.icmp = timeouts(cfg, "icmp", fc.icmp);
  fc.other = timeouts(cfg, "default", fc.other);
  // Each worker holds its own share of the flow memory.
  fc.memcap /= static_cast<uint64_t>(pl.workers);

  auto& eve = pl.worker.eve;
  eve.site = cfg.get_string("site", "");
  eve.agent = cfg.get_string("agent-name", "");
  eve.log_ethernet = cfg.get_bool("eve.ethernet", true);
  eve.community_id = cfg.get_bool("eve.community-id", true);
  eve.community_id_seed = static_cast<uint16_t>(cfg.get_int("eve.community-id-seed", 0));
  if (live) eve.in_iface = "";
  pl.worker.log_flows = cfg.get_bool("eve.flow", true);
  pl.worker.log_decode_anomalies = cfg.get_bool("eve.anomaly.decode", true);
  pl.worker.log_app = cfg.get_bool("eve.app", true);

  auto& app = pl.worker.app;
  app.enabled = cfg.get_bool("app-layer.enabled", true);
  app.stream.depth =
      static_cast<uint32_t>(cfg.get_size("stream.reassembly.depth", app.stream.depth));
  app.stream.memcap = cfg.get_size("stream.reassembly.memcap", app.stream.memcap) /
                      static_cast<uint64_t>(pl.workers);
  app.stream.max_segments =
      static_cast<uint32_t>(cfg.get_int("stream.reassembly.max-segments", app.stream.max_segments));
  app.stream.policy = parse_stream_policy(cfg.get_string("stream.reassembly.policy", "bsd"));
  app.stream_context =
      static_cast<uint32_t>(cfg.get_size("stream.reassembly.inspect-context", app.stream_context));
  app.probe_limit =
      static_cast<uint32_t>(cfg.get_size("app-layer.detection-limit", app.probe_limit));
  app.held_logs_limit =
      static_cast<uint32_t>(cfg.get_int("app-layer.held-logs-limit", app.held_logs_limit));
  app.http = cfg.get_bool("app-layer.protocols.http.enabled", true);
  app.tls = cfg.get_bool("app-layer.protocols.tls.enabled", true);
  app.dns = cfg.get_bool("app-layer.protocols.dns.enabled", true);

  s.run_as_user = cfg.get_string("run-as.user", live && geteuid() == 0 ? "nobody" : "");
  s.run_as_group = cfg.get_string("run-as.group", "");
  s.forward = forward_settings_from_config(cfg);
  return s;
}

}  // namespace nsm4
