#pragma once
// `nsm4-collector init`: the files of a first deployment in one directory —
// a CA, the collector's server certificate, a client certificate, token and
// agent.yaml snippet per named agent, and a collector.yaml that points at them.
#include <string>
#include <vector>

#include "store/agent_registry.h"

namespace nsm4::collector {

struct AgentSpec {
  std::string name;
  std::string site;
};

struct InitOptions {
  std::string dir = "nsm4-collector";
  std::string listen = "127.0.0.1:9443";
  std::vector<std::string> server_names;  // extra SAN entries (DNS names or IP addresses)
  std::vector<AgentSpec> agents;
  int ca_days = 3650;
  int cert_days = 825;
};

struct DeploymentPaths {
  std::string dir;  // absolute
  std::string config;
  std::string ca_cert;
  std::string ca_key;
  std::string server_cert;
  std::string server_key;
  std::string store;
  std::string agents_dir;
  std::string url;  // what agents connect to
};

// "NAME:SITE"; throws std::invalid_argument naming what is wrong.
AgentSpec parse_agent_spec(const std::string& text);
// [0-9a-zA-Z_.-]{1,64} and not "." or "..": safe as a file name and a CN.
bool valid_agent_name(const std::string& name);

// Writes <dir>/{ca.crt,ca.key,server.crt,server.key,collector.yaml}, creates
// <dir>/data and, per agent, <dir>/agents/<name>.{crt,key,yaml}. Refuses (throws
// std::runtime_error) when <dir>/collector.yaml exists, before writing anything.
DeploymentPaths write_deployment(const InitOptions& opt);

// Adds the agents to the registry; each token goes to <dir>/agents/<name>.token
// (mode 0600), never to the terminal. Throws StoreError (name taken, ...).
void register_agents(AgentRegistry& registry, const DeploymentPaths& paths,
                     const std::vector<AgentSpec>& agents);

}  // namespace nsm4::collector
