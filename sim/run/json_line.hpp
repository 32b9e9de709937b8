// Writing JSON text straight into a string, byte for byte as
// nlohmann::json::dump() writes the same values (keys sorted, its number
// format), without building a document: the simulator writes two history
// lines per change, and building and dumping a json object for each was a
// fifth of a run's time.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "model/change.hpp"
#include "model/result.hpp"

namespace failsim::sim::json_line {

// A string value, quoted and escaped as nlohmann::json escapes it.
void append_string(std::string& out, std::string_view s);
// A number: as nlohmann::json writes a number_float (null when not finite).
void append_double(std::string& out, double x);
void append_uint(std::string& out, std::uint64_t x);

// The history lines (checker/history.hpp reads them back):
// {"aggregate":..,"client":..,"op":{..},"time_s":..,"type":"invoke","xid":..}
void append_invoke(std::string& out, double time_s, model::ClientId client, model::Xid xid,
                   std::string_view aggregate, const model::Change& c);
// {"client":..,"result":..,"time_s":..,"type":"ok","xid":..}
void append_ok(std::string& out, double time_s, model::ClientId client, model::Xid xid, model::Result result);
// {"client":..,"time_s":..,"type":"info","xid":..}
void append_info(std::string& out, double time_s, model::ClientId client, model::Xid xid);
// The "op" object alone (recorder.hpp's op_to_json, as text).
void append_op(std::string& out, const model::Change& c);

// A node's report sample event (sim/run/node_samples.cpp): the fields and
// the event's own time_s, node and kind ("sample"), as one object. Written
// every 0.1 s per node; as a json document it was a tenth of a default
// run's fixed cost.
struct Sample {
  double time_s = 0;
  std::string_view node, at;
  std::uint64_t own_log_bytes = 0, takeover_log_bytes = 0, log_half_bytes = 0;
  std::uint64_t nvram_write_bytes = 0, mirror_write_bytes = 0;
  double nvram_busy_s = 0, mirror_busy_s = 0;
  const std::map<std::string, double>* disk_busy_s = nullptr;
  const std::map<std::string, std::uint64_t>* disk_writes = nullptr;
};
void append_sample(std::string& out, const Sample& s);

}  // namespace failsim::sim::json_line
