#include "app/collector_cli.h"

#include <stdexcept>

namespace nsm4::collector {

namespace {

// "--opt VALUE" or "--opt=VALUE"; advances i past the value.
bool option_value(const std::vector<std::string>& args, size_t& i, const std::string& name,
                  std::string& value, std::string& error) {
  const std::string& a = args[i];
  if (a.size() > name.size() && a.compare(0, name.size(), name) == 0 && a[name.size()] == '=') {
    value = a.substr(name.size() + 1);
    return true;
  }
  if (i + 1 >= args.size()) {
    error = name + " needs a value";
    return false;
  }
  value = args[++i];
  return true;
}

bool matches(const std::string& arg, const std::string& name) {
  return arg == name || arg.rfind(name + "=", 0) == 0;
}

bool set_command(const std::vector<std::string>& words, CollectorCli& out, std::string& error) {
  const auto n = words.size();
  const std::string first = n ? words[0] : "";
  if (first == "run" && n == 1) {
    out.command = Command::kRun;
  } else if (first == "init" && n == 1) {
    out.command = Command::kInit;
  } else if (first == "verify" && n == 1) {
    out.command = Command::kVerify;
  } else if (first == "agent" && n == 2 && words[1] == "list") {
    out.command = Command::kAgentList;
  } else if (first == "agent" && n == 3 && (words[1] == "add" || words[1] == "revoke")) {
    out.command = words[1] == "add" ? Command::kAgentAdd : Command::kAgentRevoke;
    out.agent_name = words[2];
  } else if (n == 0) {
    error = "no command given (run, init, agent add|list|revoke, verify); see --help";
    return false;
  } else {
    std::string joined;
    for (const auto& w : words) joined += (joined.empty() ? "" : " ") + w;
    error = "unknown command '" + joined + "'; see --help";
    return false;
  }
  return true;
}

}  // namespace

bool parse_collector_cli(const std::vector<std::string>& args, CollectorCli& out,
                         std::string& error) {
  std::vector<std::string> words;
  bool init_options = false;
  bool site_given = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string v;
    if (a == "-h" || a == "--help") {
      out.help = true;
    } else if (a == "-V" || a == "--version") {
      out.version = true;
    } else if (a == "-c" || matches(a, "--config")) {
      if (!option_value(args, i, a == "-c" ? "-c" : "--config", v, error)) return false;
      out.config_file = v;
    } else if (matches(a, "--set")) {
      if (!option_value(args, i, "--set", v, error)) return false;
      if (v.find('=') == std::string::npos || v.front() == '=') {
        error = "--set " + v + ": expected key=value";
        return false;
      }
      out.sets.push_back(v);
    } else if (matches(a, "--dir")) {
      if (!option_value(args, i, "--dir", v, error)) return false;
      out.init.dir = v;
      init_options = true;
    } else if (matches(a, "--agent")) {
      if (!option_value(args, i, "--agent", v, error)) return false;
      try {
        out.init.agents.push_back(parse_agent_spec(v));
      } catch (const std::invalid_argument& e) {
        error = e.what();
        return false;
      }
      init_options = true;
    } else if (matches(a, "--name")) {
      if (!option_value(args, i, "--name", v, error)) return false;
      out.init.server_names.push_back(v);
      init_options = true;
    } else if (matches(a, "--listen")) {
      if (!option_value(args, i, "--listen", v, error)) return false;
      out.init.listen = v;
      init_options = true;
    } else if (matches(a, "--site")) {
      if (!option_value(args, i, "--site", v, error)) return false;
      out.agent_site = v;
      site_given = true;
    } else if (a.size() > 1 && a[0] == '-') {
      error = "unknown option " + a + "; see --help";
      return false;
    } else {
      words.push_back(a);
    }
  }
  if (out.help || out.version) return true;
  if (!set_command(words, out, error)) return false;
  if (init_options && out.command != Command::kInit) {
    error = "--dir, --agent, --name and --listen are options of `init`";
    return false;
  }
  if (site_given != (out.command == Command::kAgentAdd)) {
    error = site_given ? "--site is an option of `agent add`" : "agent add NAME needs --site SITE";
    return false;
  }
  return true;
}

std::string collector_help() {
  return R"(nsm4-collector: receives events from nsm4 agents over HTTPS, stores them
durably (SQLite, hash-chained), serves metrics and a query API.

Usage: nsm4-collector [-c FILE] [--set key=value]... COMMAND

Commands:
  run                         serve until SIGINT or SIGTERM (in-flight batches finish)
  init [--dir DIR] [--agent NAME:SITE]... [--name HOST]... [--listen ADDR:PORT]
                              a CA, a server certificate (SAN localhost, 127.0.0.1,
                              ::1 and each --name), per agent a client certificate and
                              token, and DIR/collector.yaml (default DIR: nsm4-collector)
  agent add NAME --site SITE  register an agent; prints its token once
  agent list                  agents, their sites and whether revoked
  agent revoke NAME           the agent's token and certificate stop being accepted
  verify                      check the store's hash chain; exit 1 and where, if broken

Options:
  -c, --config FILE           collector.yaml (keys below); --set overrides a key
  -h, --help                  this help
  -V, --version               the version

Configuration keys (defaults):
  listen 127.0.0.1:9443; tls.cert, tls.key; tls.client-ca (client certificates);
  plain loopback (off|loopback|any: plain HTTP on the same port);
  store.path data/nsm4.db; store.retention.max-age 90d (0 = forever);
  store.retention.max-size 10gb (0 = no cap); limits.max-body 32mb;
  limits.max-connections 2048; limits.header-timeout 10s; limits.body-timeout 60s;
  limits.idle-timeout 120s; api.token-file (bearer token for the query API);
  agents.down-after 120s; threads 1

Exit codes: 0 ok, 1 runtime error (or verify found a broken chain), 2 usage.
)";
}

}  // namespace nsm4::collector
