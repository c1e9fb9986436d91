#include "nsm4/rules/variables.h"

#include "nsm4/common/config.h"

namespace nsm4::rules {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Variables Variables::suricata_defaults() {
  Variables v;
  v.set_address("HOME_NET", "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]");
  v.set_address("EXTERNAL_NET", "!$HOME_NET");
  for (const char* name :
       {"HTTP_SERVERS", "SMTP_SERVERS", "SQL_SERVERS", "DNS_SERVERS", "TELNET_SERVERS",
        "DC_SERVERS", "DNP3_SERVER", "DNP3_CLIENT", "MODBUS_CLIENT", "MODBUS_SERVER", "ENIP_CLIENT",
        "ENIP_SERVER", "SIP_SERVERS"}) {
    v.set_address(name, "$HOME_NET");
  }
  // suricata.yaml really has AIM_SERVERS: "$EXTERNAL_NET".
  v.set_address("AIM_SERVERS", "$EXTERNAL_NET");
  // nsm4's own rule set (rules/sets/nsm4.rules). GOV_SERVERS: the servers
  // cleartext admin logins must not reach. IPV6_ROUTERS: the routers allowed
  // to send Router Advertisements; "::" (no router known) until the admin
  // lists them, so every router is reported until then.
  v.set_address("GOV_SERVERS", "$HOME_NET");
  v.set_address("IPV6_ROUTERS", "[::/128]");

  v.set_port("HTTP_PORTS", "80");
  v.set_port("SHELLCODE_PORTS", "!80");
  v.set_port("ORACLE_PORTS", "1521");
  v.set_port("SSH_PORTS", "22");
  v.set_port("DNP3_PORTS", "20000");
  v.set_port("MODBUS_PORTS", "502");
  v.set_port("FILE_DATA_PORTS", "[$HTTP_PORTS,110,143]");
  v.set_port("FTP_PORTS", "21");
  v.set_port("GENEVE_PORTS", "6081");
  v.set_port("VXLAN_PORTS", "4789");
  v.set_port("TEREDO_PORTS", "3544");
  v.set_port("SIP_PORTS", "[5060,5061]");
  return v;
}

void Variables::set_address(std::string_view name, std::string_view value) {
  addresses_[std::string(name)] = std::string(value);
}

void Variables::set_port(std::string_view name, std::string_view value) {
  ports_[std::string(name)] = std::string(value);
}

bool Variables::set_assignment(std::string_view assignment, std::string& error) {
  size_t eq = assignment.find('=');
  if (eq == std::string_view::npos) {
    error = "expected NAME=VALUE, got '" + std::string(assignment) + "'";
    return false;
  }
  std::string_view name = assignment.substr(0, eq);
  std::string_view value = assignment.substr(eq + 1);
  if (name.substr(0, 5) == "vars.") name.remove_prefix(5);
  enum { kGuess, kAddress, kPort } kind = kGuess;
  if (name.substr(0, 15) == "address-groups.") {
    kind = kAddress;
    name.remove_prefix(15);
  } else if (name.substr(0, 12) == "port-groups.") {
    kind = kPort;
    name.remove_prefix(12);
  }
  if (!name.empty() && name[0] == '$') name.remove_prefix(1);
  if (!valid_name(name)) {
    error = "invalid variable name '" + std::string(name) + "'";
    return false;
  }
  if (value.empty()) {
    error = "variable " + std::string(name) + " has an empty value";
    return false;
  }
  if (kind == kGuess) {
    bool port =
        ports_.count(name) != 0 ||
        (addresses_.count(name) == 0 && (ends_with(name, "_PORTS") || ends_with(name, "_PORT")));
    kind = port ? kPort : kAddress;
  }
  if (kind == kPort) {
    set_port(name, value);
  } else {
    set_address(name, value);
  }
  return true;
}

void Variables::apply_config(const Config& config) {
  constexpr std::string_view kAddr = "vars.address-groups.";
  constexpr std::string_view kPort = "vars.port-groups.";
  for (const auto& [key, raw] : config.values()) {
    std::string_view k = key;
    bool is_addr = k.substr(0, kAddr.size()) == kAddr;
    bool is_port = k.substr(0, kPort.size()) == kPort;
    if (!is_addr && !is_port) continue;
    (void)config.get(key);  // marks the key as used
    std::string value = raw;
    if (value.find(',') != std::string::npos && !value.empty() && value[0] != '[' &&
        value[0] != '!') {
      value.insert(0, 1, '[');
      value.push_back(']');
    }
    std::string_view name = k.substr(is_addr ? kAddr.size() : kPort.size());
    if (is_addr) {
      set_address(name, value);
    } else {
      set_port(name, value);
    }
  }
}

const std::string* Variables::address(std::string_view name) const {
  auto it = addresses_.find(name);
  return it == addresses_.end() ? nullptr : &it->second;
}

const std::string* Variables::port(std::string_view name) const {
  auto it = ports_.find(name);
  return it == ports_.end() ? nullptr : &it->second;
}

}  // namespace nsm4::rules
