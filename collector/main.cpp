// nsm4-collector: receives agents' events over HTTPS, stores them durably,
// serves metrics and the query API. Commands: run, init, agent, verify.
#include <signal.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include "app/collector_cli.h"
#include "app/collector_config.h"
#include "app/collector_services.h"
#include "app/init_command.h"
#include "app/pki.h"
#include "metrics/collector_metrics.h"
#include "nsm4/common/config.h"
#include "nsm4/common/time_format.h"
#include "server/server.h"
#include "store/agent_registry.h"
#include "store/event_store.h"
#include "store/store_writer.h"

namespace {

using namespace nsm4;
using namespace nsm4::collector;

int fail(int code, const std::string& msg) {
  std::cerr << "nsm4-collector: " << msg << "\n";
  return code;
}

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string time_text(int64_t us) {
  std::string out;
  append_eve_timestamp(out, us / 1'000'000, static_cast<int32_t>(us % 1'000'000));
  return out;
}

// SQLite creates the file, not its directory.
void make_parent_dir(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) throw StoreError("cannot create " + parent.string() + ": " + ec.message());
}

// One store and registry in the same SQLite file: the store first, so that it
// creates the file with its schema.
struct OpenStore {
  explicit OpenStore(const StoreOptions& opt) {
    make_parent_dir(opt.path);
    store = EventStore::open(opt);
    registry = AgentRegistry::open(opt.path);
  }
  std::unique_ptr<EventStore> store;
  std::unique_ptr<AgentRegistry> registry;
};

int run_init(const CollectorCli& cli) {
  const DeploymentPaths paths = write_deployment(cli.init);
  OpenStore db(StoreOptions{paths.store});
  register_agents(*db.registry, paths, cli.init.agents);
  std::cerr << "nsm4-collector: set up " << paths.dir << ":\n"
            << "  collector.yaml            the configuration (listens on " << cli.init.listen
            << ")\n"
            << "  ca.crt, ca.key            the CA (give ca.crt to agents; keep ca.key safe)\n"
            << "  server.crt, server.key    the collector's certificate\n"
            << "  data/nsm4.db              the store and agent registry\n";
  for (const auto& a : cli.init.agents)
    std::cerr << "  agents/" << a.name << ".{token,crt,key,yaml}  agent " << a.name << " (site "
              << a.site << ")\n";
  std::cerr << "Start it with: nsm4-collector -c " << paths.config << " run\n";
  return kExitOk;
}

int run_agent_command(const CollectorCli& cli, const CollectorConfig& cc) {
  OpenStore db(cc.store);
  switch (cli.command) {
    case Command::kAgentAdd: {
      const std::string token = db.registry->add(cli.agent_name, cli.agent_site);
      std::cerr << "nsm4-collector: agent " << cli.agent_name << " (site " << cli.agent_site
                << ") added; its token (shown once, stored hashed):\n";
      std::cout << token << "\n";
      return kExitOk;
    }
    case Command::kAgentRevoke:
      if (!db.registry->revoke(cli.agent_name))
        return fail(kExitRuntime, "no agent named " + cli.agent_name);
      std::cerr << "nsm4-collector: agent " << cli.agent_name << " revoked\n";
      return kExitOk;
    default:
      for (const auto& a : db.registry->list())
        std::cout << a.name << "\tsite=" << a.site << "\tcreated=" << time_text(a.created_us)
                  << (a.revoked ? "\trevoked=" + time_text(a.revoked_us) : std::string()) << "\n";
      return kExitOk;
  }
}

int run_verify(const CollectorConfig& cc) {
  if (!std::filesystem::exists(cc.store.path))
    return fail(kExitRuntime, "no store at " + cc.store.path);
  auto store = EventStore::open(cc.store);
  const VerifyReport r = store->verify();
  for (const auto& p : r.problems) std::cout << p << "\n";
  std::cout << (r.ok ? "ok" : "BROKEN") << ": " << r.rows_checked << " rows checked (ids "
            << r.first_id << ".." << r.last_id << ")\n";
  return r.ok ? kExitOk : kExitRuntime;
}

// Many agents, many descriptors: use what the hard limit allows.
void raise_descriptor_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
}

// Applies retention now and every `interval` until stopped.
class RetentionTimer {
 public:
  RetentionTimer(EventStore& store, std::chrono::seconds interval)
      : store_(store), interval_(interval), thread_([this] { loop(); }) {}
  ~RetentionTimer() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  RetentionTimer(const RetentionTimer&) = delete;
  RetentionTimer& operator=(const RetentionTimer&) = delete;

 private:
  void loop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      lock.unlock();
      try {
        const RetentionReport r = store_.apply_retention(now_us());
        if (r.rows_deleted)
          std::cerr << "nsm4-collector: retention removed " << r.rows_deleted
                    << " events (chain anchor now " << r.new_anchor_id << ")\n";
      } catch (const std::exception& e) {
        std::cerr << "nsm4-collector: retention failed: " << e.what() << "\n";
      }
      lock.lock();
      cv_.wait_for(lock, interval_, [this] { return stop_; });
    }
  }

  EventStore& store_;
  const std::chrono::seconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// SIGINT/SIGTERM (blocked in every thread) -> Server::stop().
class SignalWatcher {
 public:
  explicit SignalWatcher(Server& server) : thread_([this, &server] { loop(server); }) {}
  ~SignalWatcher() {
    done_.store(true);
    thread_.join();
  }
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  static void block_signals() {
    sigset_t set = stop_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    signal(SIGPIPE, SIG_IGN);
  }

 private:
  static sigset_t stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
  }

  void loop(Server& server) {
    const sigset_t set = stop_signals();
    const timespec tick{0, 200'000'000};
    while (!done_.load()) {
      const int sig = sigtimedwait(&set, nullptr, &tick);
      if (sig == SIGINT || sig == SIGTERM) {
        std::cerr << "nsm4-collector: stopping (finishing requests in progress)\n";
        server.stop();
      }
    }
  }

  std::atomic<bool> done_{false};
  std::thread thread_;
};

int run_server(const CollectorConfig& cc) {
  SignalWatcher::block_signals();  // before any thread starts
  raise_descriptor_limit();
  std::string api_token;
  if (!cc.api_token_file.empty()) api_token = read_token_file("api.token-file", cc.api_token_file);

  OpenStore db(cc.store);
  StoreWriter writer(*db.store, cc.max_queued_events);
  ServerCounters counters;
  CollectorMetrics metrics(counters);
  CollectorServices services{*db.store, *db.registry, writer,    counters,
                             metrics,   cc.ingest,    api_token, cc.agent_down_after_sec};
  std::unique_ptr<HttpHandler> router = make_router(services);
  Server server(cc.server, *router, counters);
  server.start();
  const char* plain = cc.server.plain == PlainMode::kOff        ? "off"
                      : cc.server.plain == PlainMode::kLoopback ? "loopback only"
                                                                : "any address";
  std::cerr << "nsm4-collector: listening on " << server.url() << " (plain HTTP: " << plain
            << "; store " << cc.store.path << ")\n";
  {
    RetentionTimer retention(*db.store, cc.retention_interval);
    SignalWatcher signals(server);
    server.run();
  }
  std::cerr << "nsm4-collector: stopped\n";
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CollectorCli cli;
  std::string err;
  if (!parse_collector_cli(std::vector<std::string>(argv + 1, argv + argc), cli, err))
    return fail(kExitUsage, err);
  if (cli.help) {
    std::cout << collector_help();
    return kExitOk;
  }
  if (cli.version) {
    std::cout << "nsm4-collector " << NSM4_VERSION << "\n";
    return kExitOk;
  }
  try {
    if (cli.command == Command::kInit) return run_init(cli);
    Config cfg;
    CollectorConfig cc;
    try {
      if (!cli.config_file.empty()) cfg.load_yaml_file(cli.config_file);
      for (const auto& s : cli.sets) cfg.set_override(s);
      cc = collector_config_from(cfg);
    } catch (const ConfigError& e) {
      return fail(kExitUsage, e.what());
    }
    for (const auto& k : cfg.unused_keys())
      std::cerr << "nsm4-collector: warning: unknown config key " << k << "\n";
    switch (cli.command) {
      case Command::kRun:
        return run_server(cc);
      case Command::kVerify:
        return run_verify(cc);
      default:
        return run_agent_command(cli, cc);
    }
  } catch (const ConfigError& e) {
    return fail(kExitUsage, e.what());
  } catch (const std::invalid_argument& e) {
    return fail(kExitUsage, e.what());
  } catch (const std::exception& e) {
    return fail(kExitRuntime, e.what());
  }
}
