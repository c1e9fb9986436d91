#include "nsm4/rules/rule.h"

#include "nsm4/rules/diagnostic.h"

namespace nsm4::rules {

const char* action_name(Action a) {
  switch (a) {
    case Action::kAlert:
      return "alert";
    case Action::kPass:
      return "pass";
    case Action::kDrop:
      return "drop";
    case Action::kReject:
      return "reject";
    case Action::kRejectSrc:
      return "rejectsrc";
    case Action::kRejectDst:
      return "rejectdst";
    case Action::kRejectBoth:
      return "rejectboth";
    case Action::kConfig:
      return "config";
  }
  return "?";
}

const char* dialect_name(Dialect d) {
  switch (d) {
    case Dialect::kAuto:
      return "auto";
    case Dialect::kSuricata:
      return "suricata";
    case Dialect::kSnort3:
      return "snort3";
  }
  return "?";
}

int Rule::find_option(std::string_view name) const {
  for (size_t i = 0; i < options.size(); ++i) {
    if (options[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::string Rule::to_suricata() const {
  std::string out = action_name(action);
  out += ' ';
  out += proto ? proto->name : "ip";
  for (const std::string* part : {&src.text, &src_ports.text}) {
    out += ' ';
    out += *part;
  }
  out += direction == Direction::kBoth          ? " <> "
         : direction == Direction::kTransaction ? " => "
                                                : " -> ";
  out += dst.text;
  out += ' ';
  out += dst_ports.text;
  out += " (";
  for (size_t i = 0; i < options.size(); ++i) {
    if (i) out += ' ';
    out += options[i].name;
    if (options[i].has_value) {
      out += ':';
      out += options[i].value;
    }
    out += ';';
  }
  out += ')';
  return out;
}

std::string Diagnostic::format() const {
  std::string out = file;
  if (pos.line > 0) {
    out += ':' + std::to_string(pos.line);
    if (pos.column > 0) out += ':' + std::to_string(pos.column);
  }
  out += severity == Severity::kError ? ": error: " : ": warning: ";
  out += message;
  return out;
}

}  // namespace nsm4::rules
