#pragma once
// The keyword table as the rule library's KeywordRegistry, so nsm4-rules and
// the agent report the same supported and unsupported keywords.
#include <memory>

#include "nsm4/rules/keyword_registry.h"

namespace nsm4::detect {

std::unique_ptr<rules::KeywordRegistry> make_registry();

}  // namespace nsm4::detect
