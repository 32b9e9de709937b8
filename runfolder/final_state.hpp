// final-state.json and memory-state.json as typed records: per aggregate,
// every path but "/" with its type and mode, and for files the size and the
// SHA-256 of the contents. The simulator writes final-state.json from the
// aggregates' disk images and memory-state.json from what the serving nodes
// hold in memory; the checker reads both, and builds the same records from
// its oracle. Whoever holds a file system converts it to these records:
// this library knows no file system (README, "The dependency rule").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace failsim::runfolder {

enum class PathType : std::uint8_t { file, dir };

// What final-state.json says of one path.
struct PathState {
  PathType type = PathType::file;
  std::uint32_t mode = 0;
  std::uint64_t size = 0;  // files only
  std::string sha256;      // files only: of the contents, lower-case hex

  static PathState dir(std::uint32_t mode) { return {PathType::dir, mode, 0, {}}; }
  // `size` as the file system reports it (not taken from `contents`: a
  // broken image may disagree with its own bytes, and that must show).
  static PathState file(std::uint32_t mode, std::uint64_t size, std::string_view contents);
  friend bool operator==(const PathState&, const PathState&) = default;
};

using Tree = std::map<std::string, PathState>;  // path -> state; "/" left out
using Trees = std::map<std::string, Tree>;      // aggregate -> its tree

// {"/c3": {"type": "dir", "mode": 493}, "/c3/f1": {"type": "file", ...}}
nlohmann::json tree_json(const Tree& tree);
// The whole file: {"aggregates": {"aggr0": <tree_json>, ...}}.
nlohmann::json state_json(const Trees& trees);

// Reads a whole final-state.json or memory-state.json document, every field
// checked for its type. Throws FormatError naming the JSON path
// ("aggregates.aggr0./c1/f1.mode: expected an integer from 0 to 4294967295, found -1").
Trees read_state(const nlohmann::json& doc);
// One aggregate's paths (`where`: its JSON path, for the messages).
Tree read_tree(const nlohmann::json& paths, const std::string& where);

// Where two trees first differ, in path order; a side without the path is nullopt.
struct TreeDifference {
  std::string path;
  std::optional<PathState> left, right;
};
std::optional<TreeDifference> first_difference(const Tree& left, const Tree& right);

// One path's state as a message shows it: "file mode 420 size 3 sha256 ba7816bf...",
// "dir mode 493", or "absent".
std::string describe(const std::optional<PathState>& state);

}  // namespace failsim::runfolder
