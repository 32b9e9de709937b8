// Final-state records to JSON and back, and their first difference.
#include "final_state.hpp"

#include <limits>

#include <nlohmann/json.hpp>

#include "common/digest.hpp"
#include "runfolder/format_error.hpp"
#include "runfolder/json_text.hpp"

namespace failsim::runfolder {

using nlohmann::json;

namespace {

[[noreturn]] void bad(const std::string& where, const std::string& want, const json& v) {
  throw FormatError(where + ": expected " + want + ", found " + clip_json(v));
}

const json& field(const json& entry, const std::string& where, const char* key) {
  auto it = entry.find(key);
  if (it == entry.end()) throw FormatError(where + "." + key + ": missing");
  return *it;
}

std::uint64_t count(const json& entry, const std::string& where, const char* key, std::uint64_t max) {
  const json& v = field(entry, where, key);
  if (!v.is_number_unsigned() || v.get<std::uint64_t>() > max)
    bad(where + "." + key, "an integer from 0 to " + std::to_string(max), v);
  return v.get<std::uint64_t>();
}

PathState read_path(const json& entry, const std::string& where) {
  if (!entry.is_object()) bad(where, "an object", entry);
  const json& type = field(entry, where, "type");
  PathState s;
  if (type == "dir") s.type = PathType::dir;
  else if (type == "file") s.type = PathType::file;
  else bad(where + ".type", "\"file\" or \"dir\"", type);
  s.mode = static_cast<std::uint32_t>(count(entry, where, "mode", std::numeric_limits<std::uint32_t>::max()));
  if (s.type == PathType::dir) return s;
  s.size = count(entry, where, "size", std::numeric_limits<std::uint64_t>::max());
  const json& sha = field(entry, where, "sha256");
  if (!sha.is_string()) bad(where + ".sha256", "a string", sha);
  s.sha256 = sha.get<std::string>();
  return s;
}

}  // namespace

PathState PathState::file(std::uint32_t mode, std::uint64_t size, std::string_view contents) {
  return {PathType::file, mode, size, sha256_hex(contents)};
}

json tree_json(const Tree& tree) {
  json out = json::object();
  for (const auto& [path, s] : tree) {
    json e{{"type", s.type == PathType::dir ? "dir" : "file"}, {"mode", s.mode}};
    if (s.type == PathType::file) {
      e["size"] = s.size;
      e["sha256"] = s.sha256;
    }
    out[path] = std::move(e);
  }
  return out;
}

json state_json(const Trees& trees) {
  json aggregates = json::object();
  for (const auto& [name, tree] : trees) aggregates[name] = tree_json(tree);
  return json{{"aggregates", std::move(aggregates)}};
}

Trees read_state(const json& doc) {
  if (!doc.is_object()) bad("(top level)", "an object", doc);
  auto it = doc.find("aggregates");
  if (it == doc.end()) throw FormatError("aggregates: missing");
  if (!it->is_object()) bad("aggregates", "an object", *it);
  Trees out;
  for (const auto& [name, paths] : it->items()) out.emplace(name, read_tree(paths, "aggregates." + name));
  return out;
}

Tree read_tree(const json& paths, const std::string& where) {
  if (!paths.is_object()) bad(where, "an object", paths);
  Tree tree;
  for (const auto& [path, entry] : paths.items()) tree.emplace(path, read_path(entry, where + "." + path));
  return tree;
}

std::optional<TreeDifference> first_difference(const Tree& left, const Tree& right) {
  auto l = left.begin();
  auto r = right.begin();
  while (l != left.end() || r != right.end()) {
    if (r == right.end() || (l != left.end() && l->first < r->first)) return TreeDifference{l->first, l->second, {}};
    if (l == left.end() || r->first < l->first) return TreeDifference{r->first, {}, r->second};
    if (!(l->second == r->second)) return TreeDifference{l->first, l->second, r->second};
    ++l, ++r;
  }
  return std::nullopt;
}

std::string describe(const std::optional<PathState>& state) {
  if (!state) return "absent";
  if (state->type == PathType::dir) return "dir mode " + std::to_string(state->mode);
  return "file mode " + std::to_string(state->mode) + " size " + std::to_string(state->size) + " sha256 " +
         (state->sha256.size() > 12 ? state->sha256.substr(0, 12) + "..." : state->sha256);
}

}  // namespace failsim::runfolder
