// nsm4-agent: reads packets from a capture file or an interface, decodes them,
// tracks flows and writes EVE JSON.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "capture/privileges.h"
#include "detect/rule_reloader.h"
#include "detect/rule_set_loader.h"
#include "engine/agent_settings.h"
#include "engine/cli.h"
#include "engine/forward_settings.h"
#include "engine/pipeline.h"
#include "engine/summary.h"
#include "nsm4/common/config.h"
#include "nsm4/rules/variables.h"

namespace {

std::atomic<bool> g_stop{false};
std::atomic<bool> g_abort_drain{false};  // a second SIGINT/SIGTERM: stop waiting for the collector
std::atomic<bool> g_reload{false};
nsm4::PacketSource* g_source = nullptr;

extern "C" void on_hup(int) {
  g_reload.store(true);
}

extern "C" void on_signal(int) {
  if (g_stop.exchange(true)) g_abort_drain.store(true);
  if (g_source) g_source->break_loop();
}

int fail(int code, const std::string& msg) {
  std::cerr << "nsm4-agent: " << msg << "\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace nsm4;
  CliOptions cli;
  std::string err;
  if (!parse_cli(argc, argv, cli, err)) return fail(kExitUsage, err);
  if (cli.help) {
    std::cout << cli_help();
    return kExitOk;
  }
  if (cli.version) {
    std::cout << "nsm4-agent " << NSM4_VERSION << "\n";
    return kExitOk;
  }

  Config cfg;
  AgentSettings settings;
  const bool live = !cli.iface.empty();
  try {
    if (!cli.config_file.empty()) cfg.load_yaml_file(cli.config_file);
    for (const auto& s : cli.sets) cfg.set_override(s);
    settings = settings_from_config(cfg, live);
  } catch (const ConfigError& e) {
    return fail(kExitUsage, e.what());
  }
  for (const auto& k : cfg.unused_keys())
    if (k.rfind("vars.", 0) != 0)
      std::cerr << "nsm4-agent: warning: unknown config key " << k << "\n";

  settings.capture.file = cli.read_file;
  settings.capture.iface = cli.iface;
  if (!cli.bpf.empty()) settings.capture.bpf = cli.bpf;

  // Rules: variables are Suricata's defaults, overridden by agent.yaml and --set.
  EngineSlot rules;
  const bool detect = !cli.rule_files.empty();
  rules::Variables vars = rules::Variables::suricata_defaults();
  detect::FlowbitNames flowbit_names;  // flowbit ids stay the same across reloads
  if (detect) {
    vars.apply_config(cfg);
    detect::LoadResult lr = detect::load_rule_files(cli.rule_files, vars, false, &flowbit_names);
    for (const auto& m : lr.messages) std::cerr << m << "\n";
    if (!lr.engine) return fail(kExitUsage, "no usable rule set");
    if (!cli.quiet)
      std::cerr << "nsm4-agent: " << lr.engine->stats().rules << " rules loaded ("
                << lr.skipped + lr.engine->stats().skipped << " skipped, " << lr.errors
                << " with errors)\n";
    rules.publish(lr.engine, lr.label());
  }

  CaptureError cerr;
  auto source = PacketSource::open(settings.capture, cerr);
  if (!source)
    return fail(cerr.kind == CaptureErrorKind::kFilter ? kExitUsage : kExitRuntime, cerr.message);

  std::string eve_path = cli.eve_file;
  if (eve_path.empty()) {
    std::string dir = cli.log_dir.empty() ? "." : cli.log_dir;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return fail(kExitRuntime, dir + ": cannot create log directory: " + ec.message());
    eve_path = (std::filesystem::path(dir) / "eve.json").string();
  }
  EveSink sink;
  if (auto e = sink.open(eve_path, false); !e.empty()) return fail(kExitRuntime, e);

  // Forwarding: the spool and the TLS material are opened while still root;
  // the spool directory is handed to the run-as user, who keeps writing it.
  std::unique_ptr<forward::Forwarder> forwarder;
  std::string collector_url;
  if (settings.forward) {
    forward::ForwarderOptions fo = *settings.forward;
    collector_url = cfg.get_string("output.forward.url", "");
    if (fo.spool.dir.empty())
      fo.spool.dir = std::filesystem::path(cli.log_dir.empty() ? "." : cli.log_dir) / "spool";
    fo.http.user_agent = std::string("nsm4-agent/") + NSM4_VERSION;
    forwarder = std::make_unique<forward::Forwarder>(
        fo, [](const std::string& m) { std::cerr << "nsm4-agent: forward: " << m << "\n"; });
    if (auto e = forwarder->open(); !e.empty()) return fail(kExitRuntime, "forward: " + e);
    if (auto e =
            give_directory_to(fo.spool.dir.string(), settings.run_as_user, settings.run_as_group);
        !e.empty())
      return fail(kExitRuntime, "forward: spool directory: " + e);
  }

  // Capture handle and output are open: nothing below needs root.
  if (auto e = drop_privileges(settings.run_as_user, settings.run_as_group); !e.empty())
    return fail(kExitRuntime, "dropping privileges: " + e);
  if (forwarder) {
    forwarder->start();
    sink.set_observer(forwarder.get());
    settings.pipeline.forward_stats = [f = forwarder.get()] { return f->stats(); };
  }
  settings.pipeline.identity = {NSM4_VERSION, settings.pipeline.worker.eve.site,
                                settings.pipeline.worker.eve.agent};

  g_source = source.get();
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  if (live && settings.run_for_sec > 0) {
    sigaction(SIGALRM, &sa, nullptr);
    alarm(static_cast<unsigned>(settings.run_for_sec));
  }
  signal(SIGPIPE, SIG_IGN);

  // Live reload: SIGHUP, or a change to a rule file.
  std::unique_ptr<detect::RuleReloader> reloader;
  if (detect) {
    struct sigaction hup {};
    hup.sa_handler = on_hup;
    hup.sa_flags = SA_RESTART;  // a reload request must not fail a blocking read
    sigaction(SIGHUP, &hup, nullptr);
    reloader = std::make_unique<detect::RuleReloader>(
        cli.rule_files, vars, rules, g_reload,
        [](const std::string& m) { std::cerr << "nsm4-agent: " << m << "\n"; }, &flowbit_names);
    reloader->start();
  }

  Pipeline pipeline(settings.pipeline, sink, detect ? &rules : nullptr);
  const bool tty = isatty(STDOUT_FILENO) && !cli.quiet && eve_path != "-";
  Pipeline::ProgressFn progress;
  if (tty) progress = print_progress;
  RunResult result = pipeline.run(*source, g_stop, progress);
  if (reloader) reloader->stop();
  g_source = nullptr;
  if (tty) std::cout << "\r\033[K";

  // Every event is in the sink: close the last batch and give the collector
  // drain-timeout to acknowledge the spool (a second signal stops waiting).
  bool drained = true;
  if (forwarder) {
    drained = forwarder->drain(&g_abort_drain);
    sink.set_observer(nullptr);
  }

  if (!cli.quiet && eve_path != "-")
    print_summary(std::cout, result, source->description(), eve_path);
  if (forwarder) {
    const forward::ForwardStats fs = forwarder->stats();
    if (!cli.quiet && eve_path != "-") print_forward_summary(std::cout, fs, collector_url);
    if (!drained)
      std::cerr << "nsm4-agent: forward: " << fs.spool_batches
                << " batch(es) not acknowledged yet stay in the spool, sent on the next start"
                << (fs.last_error.empty() ? "" : " (last error: " + fs.last_error + ")") << "\n";
    if (fs.dropped_batches)
      std::cerr << "nsm4-agent: forward: " << fs.dropped_batches << " batch(es), "
                << fs.dropped_events << " event(s) dropped (spool full or unwritable)\n";
  }
  if (result.read_error) {
    // The packets before the damage were processed and logged.
    return fail(kExitRuntime, source->description() + ": read error after " +
                                  std::to_string(result.stats.decode.pkts) +
                                  " packets: " + result.error);
  }
  return kExitOk;
}
