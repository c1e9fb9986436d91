// pkt_data: sticky buffer; content and friends that follow inspect it.
#include "detect/keyword.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_pkt_data{
    "pkt_data", "sticky buffer: the keywords that follow inspect this buffer", kKwSticky,
    [](const rules::RuleOption&, RuleBuild& rb, std::string& err) {
      const BufferDef* b = find_buffer("pkt_data");
      if (!b) {
        err = "unknown buffer";
        return false;
      }
      rb.current = b->id;
      rb.last_content = nullptr;
      return true;
    }};

}  // namespace nsm4::detect
