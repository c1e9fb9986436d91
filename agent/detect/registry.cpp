#include "detect/registry.h"

#include "app/app_proto.h"
#include "detect/keyword.h"

namespace nsm4::detect {

namespace {

class TableRegistry : public rules::KeywordRegistry {
 public:
  TableRegistry() : fallback_(rules::make_default_registry()) {}

  rules::Support keyword_support(std::string_view name) const override {
    if (find_keyword(name)) return rules::Support::kSupported;
    rules::Support s = fallback_->keyword_support(name);
    // Only what the table has is supported; the rest keeps its reason.
    return s == rules::Support::kSupported ? rules::Support::kUnknown : s;
  }

  rules::Support protocol_support(const rules::ProtocolInfo& proto) const override {
    if (proto.layer == rules::ProtoLayer::kApp && app::proto_from_name(proto.name))
      return rules::Support::kSupported;
    return fallback_->protocol_support(proto);
  }

  bool validate(const rules::RuleOption& option, std::string& error) const override {
    const KeywordDef* k = find_keyword(option.name);
    if (!k || !k->parse) return true;
    RuleBuild rb;
    rb.validating = true;
    return k->parse(option, rb, error);
  }

 private:
  std::unique_ptr<rules::KeywordRegistry> fallback_;
};

}  // namespace

std::unique_ptr<rules::KeywordRegistry> make_registry() {
  return std::make_unique<TableRegistry>();
}

}  // namespace nsm4::detect
