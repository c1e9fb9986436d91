#include "output/collector_reply.h"

#include <nlohmann/json.hpp>

namespace nsm4::forward {

CollectorReply parse_collector_reply(std::string_view body) {
  CollectorReply r;
  const auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return r;
  r.valid = true;
  if (auto it = j.find("stored"); it != j.end() && it->is_number_unsigned())
    r.stored = it->get<uint64_t>();
  if (auto it = j.find("duplicate"); it != j.end() && it->is_boolean())
    r.duplicate = it->get<bool>();
  if (auto it = j.find("rejected"); it != j.end() && it->is_array()) {
    r.rejected_lines = it->size();
    if (!it->empty() && it->front().is_object()) {
      const auto& first = it->front();
      std::string line = first.contains("line") ? first["line"].dump() : "?";
      std::string error = first.contains("error") && first["error"].is_string()
                              ? first["error"].get<std::string>()
                              : std::string("?");
      r.first_rejection = "line " + line + ": " + error;
    }
  }
  return r;
}

}  // namespace nsm4::forward
