// offset: the previous content starts at or after this position of the buffer.
#include "detect/keyword.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_offset{
    "offset", "the previous content starts at or after N bytes into the buffer", kKwModifier,
    [](const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
      ContentOp* c = rb.content_for("offset", err);
      if (!c) return false;
      if (c->has_distance || c->has_within) {
        err = "offset cannot be combined with distance or within on the same content";
        return false;
      }
      if (c->has_offset && !rb.validating) {
        err = "content already has an offset";
        return false;
      }
      if (!rb.int_or_var(o.value, c->offset, 0, 65535, err)) return false;
      c->has_offset = true;
      return true;
    }};

}  // namespace nsm4::detect
