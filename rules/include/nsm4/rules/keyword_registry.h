#pragma once
// The hook between the rule language and the detection engine. The engine's
// keyword table (agent/detect/, one file per keyword) implements this
// interface; the parser asks it whether each option's keyword is usable.
// A rule with a keyword that is not supported is skipped whole (never
// half-applied) and counted per keyword.
//
// The meta keywords msg sid rev gid classtype priority reference metadata
// target (and Snort 3's service and rem) are decoded by the parser itself and
// are not asked about.
#include <memory>
#include <string>
#include <string_view>

#include "nsm4/rules/protocol.h"
#include "nsm4/rules/rule.h"

namespace nsm4::rules {

enum class Support {
  kSupported,
  kAppLayerPending,  // an app-layer buffer or keyword: arrives with app-layer parsing
  kUnknown,          // not implemented by nsm4
};

const char* support_reason(Support s);

class KeywordRegistry {
 public:
  virtual ~KeywordRegistry() = default;
  virtual Support keyword_support(std::string_view name) const = 0;
  // Whether rules for this header protocol can be evaluated.
  virtual Support protocol_support(const ProtocolInfo& proto) const = 0;
  // Checks a supported option's value; on failure sets error (an admin-level
  // message) and returns false, which makes the rule an error.
  virtual bool validate(const RuleOption& option, std::string& error) const = 0;
};

// Knows the keywords issue 3 names as supported, reports app-layer keywords as
// pending and everything else as unknown. Validates nothing beyond the parser.
// Used until agent/detect/ provides the real table.
std::unique_ptr<KeywordRegistry> make_default_registry();

// True for meta keywords the parser decodes itself.
bool is_parser_keyword(std::string_view name);

}  // namespace nsm4::rules
