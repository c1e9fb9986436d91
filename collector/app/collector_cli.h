#pragma once
// The nsm4-collector command line:
//   nsm4-collector [-c FILE] [--set key=value]... COMMAND
#include <string>
#include <vector>

#include "app/init_command.h"

namespace nsm4::collector {

enum class Command { kNone, kRun, kInit, kAgentAdd, kAgentList, kAgentRevoke, kVerify };

struct CollectorCli {
  std::string config_file;        // -c
  std::vector<std::string> sets;  // --set key=value, in order
  Command command = Command::kNone;
  bool help = false;
  bool version = false;
  InitOptions init;        // init: --dir, --agent NAME:SITE, --name HOST
  std::string agent_name;  // agent add|revoke NAME
  std::string agent_site;  // agent add --site
};

inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntime = 1;
inline constexpr int kExitUsage = 2;

// args excludes the program name. On error returns false with one line in `error`.
bool parse_collector_cli(const std::vector<std::string>& args, CollectorCli& out,
                         std::string& error);

std::string collector_help();

}  // namespace nsm4::collector
