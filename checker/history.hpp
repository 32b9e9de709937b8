// Reading a run folder's history.jsonl: per client, each change it invoked
// and how it ended (a result, or unknown when the client gave up).
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/change.hpp"
#include "model/result.hpp"

namespace failsim::checker {

struct HistoryError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ClientOp {
  model::Change change;
  std::string aggregate;
  double invoked_s = 0;
  std::optional<double> completed_s;
  std::optional<model::Result> result;  // none: outcome unknown
};

// Per client, in invocation order. Throws HistoryError naming the line.
std::map<model::ClientId, std::vector<ClientOp>> read_history(const std::string& path);

}  // namespace failsim::checker
