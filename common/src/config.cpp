#include "nsm4/common/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>

namespace nsm4 {

namespace {

void flatten(const YAML::Node& node, const std::string& prefix,
             std::map<std::string, std::string>& out) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      for (const auto& kv : node) {
        std::string key = prefix;
        if (!key.empty()) key += '.';
        key += kv.first.as<std::string>();
        flatten(kv.second, key, out);
      }
      break;
    case YAML::NodeType::Sequence: {
      std::string joined;
      bool scalars = true;
      for (const auto& item : node) {
        if (!item.IsScalar()) {
          scalars = false;
          break;
        }
        if (!joined.empty()) joined += ",";
        joined += item.as<std::string>();
      }
      if (scalars) {
        out[prefix] = joined;
      } else {
        size_t i = 0;
        for (const auto& item : node) flatten(item, prefix + "." + std::to_string(i++), out);
      }
      break;
    }
    case YAML::NodeType::Scalar:
      out[prefix] = node.as<std::string>();
      break;
    default:
      out[prefix] = "";
  }
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

void Config::load_yaml_text(const std::string& text, const std::string& origin) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ConfigError(origin + ":" + std::to_string(e.mark.line + 1) + ":" +
                      std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  if (root.IsNull()) return;
  if (!root.IsMap()) throw ConfigError(origin + ": the top level must be a mapping of keys");
  flatten(root, "", values_);
}

void Config::load_yaml_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path + ": cannot open configuration file");
  std::stringstream ss;
  ss << in.rdbuf();
  load_yaml_text(ss.str(), path);
}

void Config::set_override(const std::string& assignment) {
  auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError("--set " + assignment + ": expected key=value");
  values_[assignment.substr(0, eq)] = assignment.substr(eq + 1);
}

std::optional<std::string> Config::get(const std::string& key) const {
  used_[key] = true;
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Config::get_string(const std::string& key, const std::string& def) const {
  return get(key).value_or(def);
}

int64_t Config::get_int(const std::string& key, int64_t def) const {
  auto v = get(key);
  if (!v) return def;
  int64_t out = 0;
  auto r = std::from_chars(v->data(), v->data() + v->size(), out);
  if (r.ec != std::errc() || r.ptr != v->data() + v->size())
    throw ConfigError("config " + key + ": expected an integer, got '" + *v + "'");
  return out;
}

uint64_t Config::get_size(const std::string& key, uint64_t def) const {
  auto v = get(key);
  if (!v) return def;
  std::string s = lower(*v);
  uint64_t num = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), num);
  if (r.ec != std::errc())
    throw ConfigError("config " + key + ": expected a size such as 64mb, got '" + *v + "'");
  std::string unit(r.ptr, static_cast<size_t>(s.data() + s.size() - r.ptr));
  uint64_t mult = 1;
  if (unit.empty() || unit == "b")
    mult = 1;
  else if (unit == "kb" || unit == "k" || unit == "kib")
    mult = 1ull << 10;
  else if (unit == "mb" || unit == "m" || unit == "mib")
    mult = 1ull << 20;
  else if (unit == "gb" || unit == "g" || unit == "gib")
    mult = 1ull << 30;
  else
    throw ConfigError("config " + key + ": unknown size unit '" + unit + "' in '" + *v + "'");
  return num * mult;
}

bool Config::get_bool(const std::string& key, bool def) const {
  auto v = get(key);
  if (!v) return def;
  std::string s = lower(*v);
  if (s == "yes" || s == "true" || s == "on" || s == "1") return true;
  if (s == "no" || s == "false" || s == "off" || s == "0") return false;
  throw ConfigError("config " + key + ": expected yes or no, got '" + *v + "'");
}

std::vector<std::string> Config::unused_keys() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : values_)
    if (!used_.count(k)) out.push_back(k);
  return out;
}

std::chrono::milliseconds Config::get_duration(const std::string& key,
                                               std::chrono::milliseconds def) const {
  const auto text = get(key);
  return text ? parse_duration(key, *text) : def;
}

std::chrono::milliseconds parse_duration(const std::string& key, const std::string& text) {
  auto bad = [&](const char* expected) {
    throw ConfigError("config " + key + ": expected " + expected + ", got '" + text + "'");
  };
  const char* begin = text.data();
  const char* end = begin + text.size();
  uint64_t n = 0;
  const auto r = std::from_chars(begin, end, n);
  if (r.ec == std::errc::result_out_of_range) bad("a shorter duration");
  if (r.ec != std::errc() || begin == end) bad("a duration such as 500ms, 10s, 2m or 90d");
  const std::string unit(r.ptr, end);
  uint64_t ms_per_unit = 0;
  if (unit == "ms")
    ms_per_unit = 1;
  else if (unit.empty() || unit == "s")
    ms_per_unit = 1000;
  else if (unit == "m")
    ms_per_unit = 60'000;
  else if (unit == "h")
    ms_per_unit = 3'600'000;
  else if (unit == "d")
    ms_per_unit = 86'400'000;
  else
    bad("a duration with unit ms, s, m, h or d");
  constexpr uint64_t kMaxMs = uint64_t{1} << 50;  // ~35,000 years; keeps arithmetic safe
  if (n > kMaxMs / ms_per_unit) bad("a shorter duration");
  return std::chrono::milliseconds(static_cast<int64_t>(n * ms_per_unit));
}

}  // namespace nsm4
