// icmpv4.hdr: sticky buffer; content and friends that follow inspect it.
#include "detect/keyword.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_icmpv4_hdr{
    "icmpv4.hdr", "sticky buffer: the keywords that follow inspect this buffer", kKwSticky,
    [](const rules::RuleOption&, RuleBuild& rb, std::string& err) {
      const BufferDef* b = find_buffer("icmpv4.hdr");
      if (!b) {
        err = "unknown buffer";
        return false;
      }
      rb.current = b->id;
      rb.last_content = nullptr;
      return true;
    }};

}  // namespace nsm4::detect
