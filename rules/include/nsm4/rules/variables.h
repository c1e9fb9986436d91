#pragma once
// Address and port variables ($HOME_NET, $HTTP_PORTS, ...). Defaults are those
// of Suricata's suricata.yaml; the caller overrides them from agent.yaml
// (vars.address-groups.X / vars.port-groups.X) or from --set / --var.
#include <map>
#include <string>
#include <string_view>

namespace nsm4 {
class Config;
}

namespace nsm4::rules {

class Variables {
 public:
  // Suricata's suricata.yaml defaults, plus SIP_SERVERS (= $HOME_NET, as in
  // Snort 3's snort_defaults.lua; the Snort community rules use it), plus
  // GOV_SERVERS (= $HOME_NET) and IPV6_ROUTERS (= ::) for nsm4's own set.
  static Variables suricata_defaults();

  void set_address(std::string_view name, std::string_view value);
  void set_port(std::string_view name, std::string_view value);
  // Accepts "vars.address-groups.NAME=V", "address-groups.NAME=V", the same
  // with port-groups, and "NAME=V" (a port group when NAME is a known port
  // group or ends in _PORTS / _PORT, an address group otherwise). A leading
  // '$' on NAME is ignored. Returns false with a message on a bad assignment.
  bool set_assignment(std::string_view assignment, std::string& error);

  // Takes every vars.address-groups.NAME and vars.port-groups.NAME key of the
  // agent configuration (agent.yaml, then --set). A YAML list (flattened to
  // "a,b" by Config) becomes the group "[a,b]".
  void apply_config(const Config& config);

  // The expression text of a variable, or nullptr (name without '$').
  const std::string* address(std::string_view name) const;
  const std::string* port(std::string_view name) const;

  const std::map<std::string, std::string, std::less<>>& addresses() const { return addresses_; }
  const std::map<std::string, std::string, std::less<>>& ports() const { return ports_; }

 private:
  std::map<std::string, std::string, std::less<>> addresses_;
  std::map<std::string, std::string, std::less<>> ports_;
};

}  // namespace nsm4::rules
