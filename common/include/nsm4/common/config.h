#pragma once
// Configuration as flat dotted keys ("flow.timeouts.tcp.new"), loaded from a
// YAML file and overridden by --set key=value. Typed getters report bad values
// with the key and the offending text.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace nsm4 {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Config {
 public:
  // Loads and flattens a YAML file; sequences become comma-separated lists.
  // Throws ConfigError with file:line:column on syntax errors.
  void load_yaml_file(const std::string& path);
  void load_yaml_text(const std::string& text, const std::string& origin = "<text>");
  // "key=value"; throws ConfigError when there is no '='.
  void set_override(const std::string& assignment);
  void set(const std::string& key, const std::string& value) { values_[key] = value; }

  bool has(const std::string& key) const { return values_.count(key) != 0; }
  std::optional<std::string> get(const std::string& key) const;
  std::string get_string(const std::string& key, const std::string& def) const;
  int64_t get_int(const std::string& key, int64_t def) const;
  // Accepts plain integers and sizes with a unit: 64kb, 32mb, 1gb (binary units).
  uint64_t get_size(const std::string& key, uint64_t def) const;
  // yes/no, true/false, on/off, 1/0.
  bool get_bool(const std::string& key, bool def) const;
  // A duration (parse_duration below).
  std::chrono::milliseconds get_duration(const std::string& key,
                                         std::chrono::milliseconds def) const;

  const std::map<std::string, std::string>& values() const { return values_; }
  // Keys that no getter asked for: likely typos, reported as warnings.
  std::vector<std::string> unused_keys() const;

 private:
  std::map<std::string, std::string> values_;
  mutable std::map<std::string, bool> used_;
};

// "500ms", "10s" (a bare number is seconds), "2m", "3h", "90d". Throws ConfigError
// naming `key` for anything else, negative values and values beyond ~35,000 years.
std::chrono::milliseconds parse_duration(const std::string& key, const std::string& text);

}  // namespace nsm4
