#pragma once
// Suricata's rule transforms (to_lowercase, from_base64, xor, pcrexform ...):
// each rewrites the inspection buffer before the next content match.
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace nsm4::detect {

class Transform {
 public:
  virtual ~Transform() = default;
  // Appends the transformed `in` to `out` (out is cleared by the caller; `in`
  // must not point into `out`). A transform that fails appends nothing.
  virtual void apply(std::string_view in, std::string& out) const = 0;
  // Canonical text of the typed transform (name + normalised options): equal keys = equal
  // transforms.
  virtual std::string key() const = 0;

  // Like apply(), but returns false where Suricata marks the buffer as failed
  // (SIGMATCH_TRANSFORM_CAN_FAIL: from_base64 decoding nothing, pcrexform not
  // matching). Nothing on a failed buffer matches, negated matches included.
  virtual bool try_apply(std::string_view in, std::string& out) const {
    apply(in, out);
    return true;
  }
  // Suricata's TransformValidate: false when a content placed after this
  // transform can never match its output (to_lowercase then "ABC"); the rule
  // is then rejected.
  virtual bool content_can_match(std::string_view /*content*/) const { return true; }
};

struct TransformDef {
  std::string_view name;  // the rule keyword: "to_lowercase", "from_base64", "xor" ...
  std::string_view help;
  bool takes_value;  // xor:"key", from_base64: options, pcrexform:"re"
  // Parses the option value (empty when none); nullptr with an admin-level message in err on
  // error.
  std::shared_ptr<const Transform> (*parse)(std::string_view value, std::string& err);
};

std::span<const TransformDef> transform_table();
const TransformDef* find_transform(std::string_view name);

}  // namespace nsm4::detect
