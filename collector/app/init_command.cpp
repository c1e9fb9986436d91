#include "app/init_command.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "app/collector_config.h"
#include "app/pki.h"

namespace nsm4::collector {

namespace fs = std::filesystem;

namespace {

std::string yaml_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

void write_file(const std::string& path, const std::string& text, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) throw std::runtime_error("cannot write " + path);
  bool ok = ::fchmod(fd, mode) == 0;
  size_t done = 0;
  while (ok && done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0)
      ok = false;
    else
      done += static_cast<size_t>(n);
  }
  ok = ::close(fd) == 0 && ok;
  if (!ok) throw std::runtime_error("cannot write " + path);
}

void make_dir(const fs::path& dir, fs::perms perms) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create " + dir.string() + ": " + ec.message());
  fs::permissions(dir, perms, ec);
  if (ec) throw std::runtime_error("cannot set the mode of " + dir.string() + ": " + ec.message());
}

std::string agent_url(const InitOptions& opt) {
  std::string address;
  uint16_t port = 0;
  parse_listen("listen", opt.listen, address, port);
  std::string host = address;
  if (address == "0.0.0.0" || address == "::")
    host = opt.server_names.empty() ? "127.0.0.1" : opt.server_names.front();
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return "https://" + host + ":" + std::to_string(port);
}

std::string collector_yaml(const DeploymentPaths& p, const std::string& listen) {
  return "# nsm4-collector configuration, written by `nsm4-collector init`.\n"
         "# Plain HTTP is accepted from loopback only; agents use HTTPS.\n"
         "listen: " +
         yaml_quote(listen) +
         "\n"
         "tls:\n"
         "  cert: " +
         yaml_quote(p.server_cert) +
         "\n"
         "  key: " +
         yaml_quote(p.server_key) +
         "\n"
         "  client-ca: " +
         yaml_quote(p.ca_cert) +
         "\n"
         "plain: loopback\n"
         "store:\n"
         "  path: " +
         yaml_quote(p.store) +
         "\n"
         "  retention:\n"
         "    max-age: 90d\n"
         "    max-size: 10gb\n"
         "limits:\n"
         "  max-body: 32mb\n"
         "  max-connections: 2048\n"
         "  header-timeout: 10s\n"
         "  body-timeout: 60s\n"
         "  idle-timeout: 120s\n"
         "agents:\n"
         "  down-after: 120s\n"
         "threads: 1\n";
}

std::string agent_yaml(const DeploymentPaths& p, const AgentSpec& a) {
  const std::string base = p.agents_dir + "/" + a.name;
  return "# nsm4-agent settings for agent " + a.name + " (site " + a.site +
         "), written by `nsm4-collector init`.\n"
         "output:\n"
         "  forward:\n"
         "    url: " +
         yaml_quote(p.url) +
         "\n"
         "    ca-file: " +
         yaml_quote(p.ca_cert) +
         "\n"
         "    token-file: " +
         yaml_quote(base + ".token") +
         "\n"
         "    # Or authenticate with the client certificate instead of the token:\n"
         "    # client-cert: " +
         yaml_quote(base + ".crt") +
         "\n"
         "    # client-key: " +
         yaml_quote(base + ".key") + "\n";
}

}  // namespace

bool valid_agent_name(const std::string& name) {
  if (name.empty() || name.size() > 64 || name == "." || name == "..") return false;
  for (char c : name) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

AgentSpec parse_agent_spec(const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos)
    throw std::invalid_argument("--agent " + text + ": expected NAME:SITE");
  AgentSpec a{text.substr(0, colon), text.substr(colon + 1)};
  if (!valid_agent_name(a.name))
    throw std::invalid_argument("--agent " + text + ": the name must be 1-64 of [0-9a-zA-Z_.-]");
  if (!valid_agent_name(a.site))
    throw std::invalid_argument("--agent " + text + ": the site must be 1-64 of [0-9a-zA-Z_.-]");
  return a;
}

DeploymentPaths write_deployment(const InitOptions& opt) {
  for (const auto& a : opt.agents)
    if (!valid_agent_name(a.name) || !valid_agent_name(a.site))
      throw std::invalid_argument("agent '" + a.name + "' (site '" + a.site +
                                  "'): names must be 1-64 of [0-9a-zA-Z_.-]");
  DeploymentPaths p;
  p.dir = fs::absolute(opt.dir).lexically_normal().string();
  if (p.dir.size() > 1 && p.dir.back() == '/') p.dir.pop_back();
  p.config = p.dir + "/collector.yaml";
  if (fs::exists(p.config))
    throw std::runtime_error(p.config +
                             " exists: this directory is already set up (use `agent add` for "
                             "more agents, or another --dir)");
  p.ca_cert = p.dir + "/ca.crt";
  p.ca_key = p.dir + "/ca.key";
  p.server_cert = p.dir + "/server.crt";
  p.server_key = p.dir + "/server.key";
  p.store = p.dir + "/data/nsm4.db";
  p.agents_dir = p.dir + "/agents";
  p.url = agent_url(opt);

  make_dir(p.dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
  make_dir(p.dir + "/data", fs::perms::owner_all);
  make_dir(p.agents_dir, fs::perms::owner_all);
  const pki::CaFiles ca{p.ca_cert, p.ca_key};
  pki::make_ca(ca, "nsm4 collector CA", opt.ca_days);
  pki::issue_server_cert(ca, {p.server_cert, p.server_key}, opt.server_names, opt.cert_days);
  for (const auto& a : opt.agents) {
    const std::string base = p.agents_dir + "/" + a.name;
    pki::issue_client_cert(ca, {base + ".crt", base + ".key"}, a.name, opt.cert_days);
    write_file(base + ".yaml", agent_yaml(p, a), 0644);
  }
  // Last: its presence means the directory is complete.
  write_file(p.config, collector_yaml(p, opt.listen), 0644);
  return p;
}

void register_agents(AgentRegistry& registry, const DeploymentPaths& paths,
                     const std::vector<AgentSpec>& agents) {
  for (const auto& a : agents) {
    const std::string token = registry.add(a.name, a.site);
    write_file(paths.agents_dir + "/" + a.name + ".token", token + "\n", 0600);
  }
}

}  // namespace nsm4::collector
