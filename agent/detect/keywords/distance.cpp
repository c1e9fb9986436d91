// distance: the previous content starts N bytes (may be negative) after the
// end of the match before it.
#include "detect/keyword.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_distance{
    "distance", "the previous content starts N bytes after the previous match", kKwModifier,
    [](const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
      ContentOp* c = rb.content_for("distance", err);
      if (!c) return false;
      if (c->has_offset || c->has_depth) {
        err = "distance cannot be combined with offset or depth on the same content";
        return false;
      }
      if (!rb.int_or_var(o.value, c->distance, -65535, 65535, err)) return false;
      c->has_distance = true;
      c->relative = true;
      // As with within: the match before this content is searched again when
      // this one (or what follows) fails.
      if (!rb.validating)
        if (Op* prev = rb.prev_anchor(c)) prev->backtrack_next = true;
      return true;
    }};

}  // namespace nsm4::detect
