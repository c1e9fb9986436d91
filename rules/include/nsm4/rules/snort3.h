#pragma once
// The Snort 3 dialect, translated to the Suricata-shaped AST.
#include <vector>

#include "nsm4/rules/option_tokenizer.h"

namespace nsm4::rules {

// True if the options carry a mark only Snort 3 uses: a content (or other
// quoted string option) followed by ",modifier", service:, rem:, or a Snort 3
// sticky buffer before the first content.
bool looks_like_snort3(const std::vector<RawOption>& options);

// Rewrites Snort 3 options in place into their Suricata equivalents (see the
// table in snort3.cpp). Offsets of synthesized options point at the
// modifier's text. Returns false on a malformed comma modifier.
bool translate_snort3(std::vector<RawOption>& options, ParseError& err);

}  // namespace nsm4::rules
