// startswith: the previous content is at the very start of the buffer.
#include "detect/keyword.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_startswith{
    "startswith", "the previous content is at the start of the buffer", kKwModifier,
    [](const rules::RuleOption&, RuleBuild& rb, std::string& err) {
      ContentOp* c = rb.content_for("startswith", err);
      if (!c) return false;
      if (c->has_offset || c->has_depth || c->has_distance || c->has_within) {
        err = "startswith cannot be combined with offset, depth, distance or within";
        return false;
      }
      c->startswith = true;
      c->has_offset = true;
      c->offset = {0, -1};
      c->has_depth = true;
      c->depth = {static_cast<int64_t>(c->bytes.size()), -1};
      return true;
    }};

}  // namespace nsm4::detect
