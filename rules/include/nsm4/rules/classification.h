#pragma once
// classification.config: `config classification: shortname,description,priority`.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "nsm4/rules/diagnostic.h"

namespace nsm4::rules {

struct Classtype {
  std::string name;
  std::string description;
  int priority = 0;
};

class Classifications {
 public:
  // nsm4's shipped table (rules/sets/classification.config, compiled in).
  static Classifications defaults();

  // Adds (or replaces) the entries of a classification.config text; problems
  // are appended to diags with file:line:column. Returns false on any error.
  bool parse(std::string_view text, const std::string& origin, std::vector<Diagnostic>& diags);
  bool load_file(const std::string& path, std::vector<Diagnostic>& diags);

  const Classtype* find(std::string_view name) const;
  size_t size() const { return table_.size(); }

 private:
  std::map<std::string, Classtype, std::less<>> table_;
};

// The text of rules/sets/classification.config (generated source).
std::string_view default_classification_text();

}  // namespace nsm4::rules
