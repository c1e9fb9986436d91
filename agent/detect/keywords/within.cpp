// within: the previous content ends within N bytes of the match before it.
#include "detect/keyword.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_within{
    "within", "the previous content ends within N bytes after the previous match", kKwModifier,
    [](const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
      ContentOp* c = rb.content_for("within", err);
      if (!c) return false;
      if (c->has_offset || c->has_depth) {
        err = "within cannot be combined with offset or depth on the same content";
        return false;
      }
      if (!rb.int_or_var(o.value, c->within, 1, 65535, err)) return false;
      if (c->within.var < 0 && c->within.value < static_cast<int64_t>(c->bytes.size())) {
        err = "within " + std::to_string(c->within.value) + " is smaller than the content (" +
              std::to_string(c->bytes.size()) + " bytes)";
        return false;
      }
      c->has_within = true;
      c->relative = true;
      // The match before this content is searched again when this one fails.
      if (!rb.validating)
        if (Op* prev = rb.prev_anchor(c)) prev->backtrack_next = true;
      return true;
    }};

}  // namespace nsm4::detect
