#pragma once
// The typed AST of one rule, the same for Suricata and Snort 3 input. Options
// stay in their written order (the detection engine needs it: sticky buffers
// and content modifiers apply by position), with the meta options also
// decoded into typed fields.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nsm4/rules/address_set.h"
#include "nsm4/rules/content.h"
#include "nsm4/rules/diagnostic.h"
#include "nsm4/rules/port_set.h"
#include "nsm4/rules/protocol.h"

namespace nsm4::rules {

enum class Action { kAlert, kPass, kDrop, kReject, kRejectSrc, kRejectDst, kRejectBoth, kConfig };
// -> and <>, and => (Suricata 8's transactional rules: the request side
// matches going to the destination, the response side coming back, in one
// transaction).
enum class Direction { kToDst, kBoth, kTransaction };
enum class Dialect { kAuto, kSuricata, kSnort3 };

const char* action_name(Action a);
const char* dialect_name(Dialect d);

struct AddressSpec {
  std::string text;  // as written, e.g. "$HOME_NET"
  AddressSet set;
  SourcePos pos;
};

struct PortSpec {
  std::string text;
  PortSet set;
  SourcePos pos;
};

struct RuleOption {
  std::string name;   // Suricata spelling after Snort 3 translation
  std::string value;  // raw (quotes and escapes kept)
  bool has_value = false;
  SourcePos pos;                        // of the name
  SourcePos value_pos;                  // of the value (== pos when there is none)
  std::optional<ContentValue> content;  // decoded for content-like keywords
};

struct Reference {
  std::string system;  // "url", "cve", ...
  std::string id;
};

struct MetadataEntry {
  std::string key;
  std::string value;
};

struct Rule {
  Action action = Action::kAlert;
  const ProtocolInfo* proto = nullptr;
  AddressSpec src, dst;
  PortSpec src_ports, dst_ports;
  Direction direction = Direction::kToDst;
  std::vector<RuleOption> options;

  uint32_t sid = 0;
  uint32_t rev = 0;
  uint32_t gid = 1;
  std::string msg;
  std::string classtype;
  int priority = 0;  // explicit priority, else the classtype's, else 0
  std::vector<MetadataEntry> metadata;
  std::vector<Reference> references;
  std::vector<std::string> services;  // Snort 3 service:
  std::string target;                 // src_ip / dest_ip, if given

  Dialect dialect = Dialect::kSuricata;
  std::string file;
  SourcePos pos;     // of the action word
  std::string text;  // the logical rule text (continuations joined)

  // Index of the first option with this name, or -1.
  int find_option(std::string_view name) const;
  // The rule in Suricata syntax as nsm4 understood it (Snort 3 rules come out
  // translated; Snort 3's service: stays an option).
  std::string to_suricata() const;
};

}  // namespace nsm4::rules
