#pragma once
#include <string>
#include <string_view>

#include "detect/keyword.h"

namespace nsm4::detect {

// Parses a flag word shared by the byte_* keywords (relative, big, little,
// dce, string, hex, dec, oct, bitmask N). consumed=false when the word is
// not one of them.
bool parse_byte_common(std::string_view word, RuleBuild& rb, ByteRead& rd, bool& relative,
                       bool& consumed, std::string& err);

}  // namespace nsm4::detect
