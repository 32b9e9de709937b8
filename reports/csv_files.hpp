// The CSV time series of a run, each with a header row, ready for pandas or
// a spreadsheet: latency.csv (one row per answered request), throughput.csv
// (per interval: acks in total and per aggregate, and the p50, p99 and max
// latency of the changes issued in it), nvram.csv (log occupancy samples), utilisation.csv (device
// busy fraction per sample interval), cps.csv (one row per CP); and, for a
// run with storage events, rebuilds.csv, degraded.csv and resyncs.csv.
#pragma once

#include <string>
#include <vector>

#include "common/write_file.hpp"
#include "reports/analysis.hpp"

namespace failsim::reports {

// Writes the files into `set` (not yet renamed into place); returns their names.
std::vector<std::string> write_csv_files(const Analysis& a, FileSet& set);
// csv_storage.cpp: the storage files; none when the run has no storage event.
std::vector<std::string> write_storage_csv_files(const Analysis& a, FileSet& set);

}  // namespace failsim::reports
