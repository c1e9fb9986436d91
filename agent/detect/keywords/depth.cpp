// depth: the previous content lies within N bytes from its offset.
#include "detect/keyword.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_depth{
    "depth", "the previous content lies within the first N bytes (counted from offset)",
    kKwModifier, [](const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
      ContentOp* c = rb.content_for("depth", err);
      if (!c) return false;
      if (c->has_distance || c->has_within) {
        err = "depth cannot be combined with distance or within on the same content";
        return false;
      }
      if (c->has_depth && !rb.validating) {
        err = "content already has a depth (startswith sets one)";
        return false;
      }
      if (!rb.int_or_var(o.value, c->depth, 1, 65535, err)) return false;
      if (c->depth.var < 0 && c->depth.value < static_cast<int64_t>(c->bytes.size())) {
        err = "depth " + std::to_string(c->depth.value) + " is smaller than the content (" +
              std::to_string(c->bytes.size()) + " bytes)";
        return false;
      }
      c->has_depth = true;
      return true;
    }};

}  // namespace nsm4::detect
