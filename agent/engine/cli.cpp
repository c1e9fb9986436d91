#include "engine/cli.h"

#include <string_view>

namespace nsm4 {

namespace {

// Options that are shorthands for a configuration key.
struct Shorthand {
  std::string_view flag;
  std::string_view key;
  bool takes_value;
  std::string_view fixed;  // value when the flag takes none
};

constexpr Shorthand kShorthands[] = {
    {"--workers", "workers", true, ""},
    {"-k", "capture.checksum-validation", true, ""},
    {"--midstream", "stream.midstream", false, "yes"},
    {"--snaplen", "capture.snaplen", true, ""},
    {"--buffer-size", "capture.buffer-size", true, ""},
    {"--no-promisc", "capture.promisc", false, "no"},
    {"--user", "run-as.user", true, ""},
    {"--group", "run-as.group", true, ""},
    {"--run-for", "capture.run-for", true, ""},
    {"--site", "site", true, ""},
    {"--agent-name", "agent-name", true, ""},
    {"--stats-interval", "stats.interval", true, ""},
    {"--collector", "output.forward.url", true, ""},
};

}  // namespace

bool parse_cli(int argc, char** argv, CliOptions& out, std::string& error) {
  std::vector<std::string> bpf_words;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&](std::string& dst) -> bool {
      if (i + 1 >= argc) {
        error = std::string(a) + " needs a value";
        return false;
      }
      dst = argv[++i];
      return true;
    };
    if (a == "-h" || a == "--help") {
      out.help = true;
    } else if (a == "-V" || a == "--version") {
      out.version = true;
    } else if (a == "-q" || a == "--quiet") {
      out.quiet = true;
    } else if (a == "-r") {
      if (!value(out.read_file)) return false;
    } else if (a == "-i") {
      if (!value(out.iface)) return false;
    } else if (a == "-S") {
      std::string f;
      if (!value(f)) return false;
      out.rule_files.push_back(f);
    } else if (a == "-l") {
      if (!value(out.log_dir)) return false;
    } else if (a == "--eve") {
      if (!value(out.eve_file)) return false;
    } else if (a == "-c") {
      if (!value(out.config_file)) return false;
    } else if (a == "--set") {
      std::string s;
      if (!value(s)) return false;
      if (s.find('=') == std::string::npos || s.front() == '=') {
        error = "--set " + s + ": expected key=value";
        return false;
      }
      out.sets.push_back(s);
    } else if (a == "--bpf") {
      if (!value(out.bpf)) return false;
    } else if (a == "--") {
      for (++i; i < argc; ++i) bpf_words.emplace_back(argv[i]);
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      const Shorthand* sh = nullptr;
      for (const auto& s : kShorthands)
        if (s.flag == a) sh = &s;
      if (!sh) {
        error = "unknown option " + std::string(a) + " (see --help)";
        return false;
      }
      std::string v(sh->fixed);
      if (sh->takes_value && !value(v)) return false;
      out.sets.push_back(std::string(sh->key) + "=" + v);
    } else {
      bpf_words.emplace_back(a);
    }
  }
  if (!bpf_words.empty()) {
    if (!out.bpf.empty()) {
      error = "give the BPF filter either with --bpf or as trailing words, not both";
      return false;
    }
    for (const auto& w : bpf_words) out.bpf += (out.bpf.empty() ? "" : " ") + w;
  }
  if (out.help || out.version) return true;
  if (out.read_file.empty() == out.iface.empty()) {
    error = out.read_file.empty() ? "no input: give -r FILE (or -r - for stdin) or -i IFACE"
                                  : "give either -r or -i, not both";
    return false;
  }
  return true;
}

std::string cli_help() {
  return R"(nsm4-agent: network security monitoring agent (IPv4 and IPv6)

Usage:
  nsm4-agent -r FILE|- [options] [BPF filter...]   read a pcap or pcapng file ('-' = stdin)
  nsm4-agent -i IFACE  [options] [BPF filter...]   capture live on an interface

Input:
  -r FILE|-            capture file (pcap or pcapng), or '-' for standard input
  -i IFACE             live interface (promiscuous by default)
  --snaplen N          bytes captured per packet (default 262144)       [capture.snaplen]
  --buffer-size BYTES  kernel capture buffer, e.g. 64mb                 [capture.buffer-size]
  --no-promisc         do not put the interface in promiscuous mode     [capture.promisc]
  --bpf EXPR           BPF filter; trailing words after the options are the same
  --run-for SECONDS    live capture: stop after this long               [capture.run-for]
  -k none|auto|all     checksum validation (default none for files, auto live)
                                                                        [capture.checksum-validation]
Detection:
  -S FILE              rule file (repeatable)

Output:
  -l DIR               log directory; EVE JSON goes to DIR/eve.json (default .)
  --eve FILE           EVE JSON file ('-' = stdout), instead of DIR/eve.json
  --site NAME          site name written on every event                 [site]
  --agent-name NAME    agent name written on every event                [agent-name]
  --stats-interval S   seconds between EVE stats records, 0 = only at the end [stats.interval]
  -q, --quiet          no summary on stdout

Forwarding to a collector (at least once: batches are spooled on disk first):
  --collector URL      https://HOST:PORT of nsm4-collector           [output.forward.url]
                       also: output.forward.token-file, ca-file, verify (default yes),
                       client-cert, client-key, spool.dir (default DIR/spool),
                       spool.max-size (256mb), spool.full-policy (drop-oldest|block),
                       batch.max-events (2000), batch.max-bytes (1mb), batch.max-delay (1s),
                       retry.initial (500ms), retry.max (30s), drain-timeout (30s),
                       connect-timeout (10s), request-timeout (60s)

Processing:
  --workers N          worker threads (default: one per core)           [workers]
  --midstream          pick up TCP sessions already in progress         [stream.midstream]

Configuration:
  -c FILE              agent.yaml (keys as in [brackets] above, nested or dotted)
  --set KEY=VALUE      override one configuration key (repeatable, applied after -c)
                       e.g. --set flow.memcap=256mb --set eve.ethernet=yes

Privileges:
  --user USER          drop to USER after opening the capture (live capture as
                       root defaults to 'nobody')                       [run-as.user]
  --group GROUP        and to GROUP                                     [run-as.group]

  -h, --help           this help
  -V, --version        version

Exit codes:
  0  success
  1  input or runtime error (missing file, bad interface, unsupported link type)
  2  usage or configuration error (unknown option, bad BPF filter, bad config value)

Signals: SIGINT and SIGTERM stop cleanly (flows are flushed and a final stats
record is written; when forwarding, the agent then waits up to
output.forward.drain-timeout for the collector, and a second signal stops the wait).
)";
}

}  // namespace nsm4
