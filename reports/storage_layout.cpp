// The disk layout of scenario.json (storage_layout.hpp): shelves, plexes,
// RAID groups, with every field it reads checked.
#include "storage_layout.hpp"

#include <algorithm>

#include "runfolder/json_text.hpp"

namespace failsim::reports {

using nlohmann::json;

namespace {

struct Reader {
  const RunData& run;

  [[noreturn]] void bad(const std::string& field, const std::string& want, const json& v) const {
    throw ReportInputError(run.dir + "/scenario.json: " + field + ": expected " + want + ", found " +
                           runfolder::clip_json(v));
  }
  std::uint64_t count(const json& j, const char* key, const std::string& where, std::uint64_t dflt) const {
    auto it = j.find(key);
    if (it == j.end()) return dflt;
    // A disk count past a million is no shelf: refused before it becomes a loop.
    if (!it->is_number_unsigned() || it->get<std::uint64_t>() > 1'000'000)
      bad(where + key, "an integer from 0 to 1000000", *it);
    return it->get<std::uint64_t>();
  }
  std::string string(const json& j, const char* key, const std::string& where) const {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) bad(where + key, "a string", j.value(key, json()));
    return it->get<std::string>();
  }
  const json& array(const json& j, const char* key, const std::string& where) const {
    static const json empty = json::array();
    auto it = j.find(key);
    if (it == j.end()) return empty;
    if (!it->is_array()) bad(where + key, "an array", *it);
    return *it;
  }
};

std::uint64_t parity_of(const Reader& r, const json& aggregate) {
  const json raid = aggregate.value("raid", json::object());
  if (!raid.is_object()) r.bad("cluster.aggregates[].raid", "an object", raid);
  if (!raid.contains("level")) return 0;
  const std::string level = r.string(raid, "level", "cluster.aggregates[].raid.");
  if (level == "raid4") return 1;
  if (level == "raid_dp") return 2;
  if (level == "none") return 0;
  r.bad("cluster.aggregates[].raid.level", "none, raid4 or raid_dp", raid["level"]);
}

// One plex: its shelves' data disks in order, cut into groups.
void add_plex(const Reader& r, StorageLayout& out, const std::map<std::string, std::uint64_t>& spares_of,
              const std::string& aggregate, std::uint64_t plex, const json& shelves, std::uint64_t group_size) {
  if (!shelves.is_array()) r.bad("cluster.aggregates[].plexes[]", "an array of shelf names", shelves);
  std::vector<std::string> disks;
  for (const json& s : shelves) {
    if (!s.is_string()) r.bad("cluster.aggregates[].plexes[][]", "a shelf name", s);
    auto it = out.shelf_disks.find(s.get<std::string>());
    if (it == out.shelf_disks.end()) continue;  // the scenario checks named it; nothing to place
    const std::uint64_t spares = spares_of.at(it->first);
    for (std::uint64_t d = 0; d + spares < it->second.size(); ++d) disks.push_back(it->second[d]);
  }
  const std::uint64_t size = group_size > 0 ? group_size : std::max<std::uint64_t>(disks.size(), 1);
  for (std::uint64_t i = 0; i < disks.size(); ++i) out.slots[disks[i]] = {aggregate, plex, i / size};
}

}  // namespace

StorageLayout read_storage_layout(const RunData& run) {
  const Reader r{run};
  StorageLayout out;
  const json& cluster = run.scenario.at("cluster");  // checked by read_run_folder
  std::map<std::string, std::uint64_t> spares_of;
  for (const json& shelf : r.array(cluster, "shelves", "cluster.")) {
    if (!shelf.is_object()) r.bad("cluster.shelves[]", "an object", shelf);
    const std::string name = r.string(shelf, "name", "cluster.shelves[].");
    const std::uint64_t disks = r.count(shelf, "disks", "cluster.shelves[].", 0);
    spares_of[name] = std::min(r.count(shelf, "spares", "cluster.shelves[].", 0), disks);
    std::vector<std::string>& names = out.shelf_disks[name];
    for (std::uint64_t d = 0; d < disks; ++d) names.push_back(name + ".d" + std::to_string(d));
  }
  for (const json& a : cluster.at("aggregates")) {
    const std::string name = a.at("name").get<std::string>();
    out.parity_disks[name] = parity_of(r, a);
    const json raid = a.value("raid", json::object());
    const std::uint64_t group_size = r.count(raid, "group_size", "cluster.aggregates[].raid.", 0);
    const json& plexes = r.array(a, "plexes", "cluster.aggregates[].");
    for (std::uint64_t p = 0; p < plexes.size(); ++p) add_plex(r, out, spares_of, name, p, plexes[p], group_size);
  }
  return out;
}

}  // namespace failsim::reports
