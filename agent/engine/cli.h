#pragma once
// The agent's command line, Suricata-style: parsed into options plus config
// overrides, so that every option can also be set in agent.yaml.
#include <string>
#include <vector>

namespace nsm4 {

struct CliOptions {
  std::string read_file;                // -r
  std::string iface;                    // -i
  std::vector<std::string> rule_files;  // -S
  std::string log_dir;                  // -l
  std::string eve_file;                 // --eve
  std::string config_file;              // -c
  std::vector<std::string> sets;        // --set key=value, in order
  std::string bpf;                      // --bpf or trailing words
  bool help = false;
  bool version = false;
  bool quiet = false;
};

// Exit codes, documented in --help.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntime = 1;  // input or runtime error
inline constexpr int kExitUsage = 2;    // bad usage or configuration

// Parses argv. On error returns false with a one-line message in `error`.
bool parse_cli(int argc, char** argv, CliOptions& out, std::string& error);

std::string cli_help();

}  // namespace nsm4
