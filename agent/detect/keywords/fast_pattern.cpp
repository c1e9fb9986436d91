// fast_pattern: the previous content is the rule's prefilter pattern
// (fast_pattern; fast_pattern:only; fast_pattern:offset,length).
#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_fast_pattern{
    "fast_pattern", "use the previous content (or a slice of it) as the prefilter pattern",
    kKwModifier | kKwPrefilter, [](const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
      ContentOp* c = rb.content_for("fast_pattern", err);
      if (!c) return false;
      if (c->negated && !rb.validating) {
        err = "a negated content cannot be the fast pattern";
        return false;
      }
      c->fast_pattern = true;
      std::string_view v = trim(o.value);
      if (!o.has_value || v.empty()) return true;
      if (v == "only") {
        c->fast_pattern_only = true;
        return true;
      }
      auto parts = split(v, ',');
      int64_t off = 0, len = 0;
      if (parts.size() != 2 || !parse_int(parts[0], off) || !parse_int(parts[1], len) || off < 0 ||
          len <= 0) {
        err = "expected nothing, 'only' or 'offset,length', got '" + std::string(v) + "'";
        return false;
      }
      if (!rb.validating && static_cast<size_t>(off + len) > c->bytes.size()) {
        err = "offset+length is beyond the content";
        return false;
      }
      c->fp_offset = static_cast<int>(off);
      c->fp_len = static_cast<int>(len);
      return true;
    }};

}  // namespace nsm4::detect
