// The storage CSV files (csv_files.hpp): rebuilds.csv, degraded.csv and
// resyncs.csv, one row per record of reports/storage.hpp, empty cells where
// a record has no value (a rebuild unfinished at the run's end).
#include <sstream>

#include "reports/csv_files.hpp"
#include "reports/format.hpp"

namespace failsim::reports {

namespace {

std::string cell(const std::optional<double>& v, int decimals) { return v ? fixed(*v, decimals) : ""; }

void rebuilds_csv(const Storage& s, std::ostream& out) {
  out << "aggregate,plex,group,disk,onto,target,outcome,start_s,end_s,duration_s,bytes,expected_s,rate_Bps\n";
  for (const RebuildRecord& r : s.rebuilds)
    out << csv_field(r.aggregate) << ',' << r.plex << ',' << (r.group ? std::to_string(*r.group) : "") << ','
        << csv_field(r.disk) << ',' << csv_field(r.onto) << ',' << r.target() << ',' << r.outcome() << ','
        << fixed(r.start_s, 9) << ',' << cell(r.end_s, 9) << ',' << cell(r.duration_s(), 9) << ',' << r.bytes << ','
        << fixed(r.expected_s, 9) << ',' << cell(r.rate_Bps(), 3) << '\n';
}

void degraded_csv(const Storage& s, std::ostream& out) {
  out << "aggregate,plex,group,start_s,end_s,duration_s,restored,max_missing_disks,parity_disks,beyond_tolerance,disks\n";
  for (const DegradedWindow& w : s.degraded) {
    std::string disks;
    for (const std::string& d : w.disks) disks += (disks.empty() ? "" : " ") + d;
    out << csv_field(w.aggregate) << ',' << w.plex << ',' << w.group << ',' << fixed(w.start_s, 9) << ','
        << fixed(w.end_s, 9) << ',' << fixed(w.duration_s(), 9) << ',' << (w.restored ? 1 : 0) << ','
        << w.max_missing_disks << ',' << w.parity_disks << ',' << (w.beyond_tolerance() ? 1 : 0) << ','
        << csv_field(disks) << '\n';
  }
}

void resyncs_csv(const Storage& s, std::ostream& out) {
  out << "aggregate,plex,from_plex,node,outcome,start_s,end_s,duration_s,bytes,expected_duration_s,rate_Bps,"
         "differing_blocks\n";
  for (const ResyncRecord& r : s.resyncs)
    out << csv_field(r.aggregate) << ',' << r.plex << ',' << r.from_plex << ',' << csv_field(r.node) << ','
        << r.outcome() << ',' << fixed(r.start_s, 9) << ',' << cell(r.end_s, 9) << ',' << cell(r.duration_s(), 9)
        << ',' << r.bytes << ',' << fixed(r.expected_duration_s, 9) << ',' << cell(r.rate_Bps(), 3) << ','
        << r.differing_blocks << '\n';
}

}  // namespace

std::vector<std::string> write_storage_csv_files(const Analysis& a, FileSet& set) {
  if (a.storage.empty()) return {};
  const std::vector<std::pair<std::string, void (*)(const Storage&, std::ostream&)>> files{
      {"rebuilds.csv", rebuilds_csv}, {"degraded.csv", degraded_csv}, {"resyncs.csv", resyncs_csv}};
  std::vector<std::string> names;
  for (const auto& [name, write] : files) {
    std::ostringstream out;
    write(a.storage, out);
    set.write(name, out.str());
    names.push_back(name);
  }
  return names;
}

}  // namespace failsim::reports
