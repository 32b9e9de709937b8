// history.jsonl parsing.
#include "history.hpp"

#include <fstream>

#include <nlohmann/json.hpp>

namespace failsim::checker {

using nlohmann::json;

namespace {
model::Change change_from(const json& op, model::ClientId client, model::Xid xid) {
  model::Change c;
  c.client = client;
  c.xid = xid;
  auto type = model::op_type_from_string(op.at("f").get<std::string>());
  if (!type) throw HistoryError("unknown op " + op.at("f").get<std::string>());
  c.type = *type;
  if (c.type == model::OpType::rename) {
    c.path = op.at("from").get<std::string>();
    c.to = op.at("to").get<std::string>();
  } else {
    c.path = op.at("path").get<std::string>();
  }
  c.mode = op.value("mode", 0u);
  c.offset = op.value("offset", std::uint64_t{0});
  c.size = op.value("size", std::uint64_t{0});
  c.data = op.value("data", std::string{});
  return c;
}
}  // namespace

std::map<model::ClientId, std::vector<ClientOp>> read_history(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw HistoryError(path + ": cannot read");
  std::map<model::ClientId, std::vector<ClientOp>> out;
  std::map<std::pair<model::ClientId, model::Xid>, std::size_t> index;
  std::size_t line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    try {
      json e = json::parse(line);
      auto client = e.at("client").get<model::ClientId>();
      auto xid = e.at("xid").get<model::Xid>();
      const std::string type = e.at("type");
      auto& ops = out[client];
      if (type == "invoke") {
        index[{client, xid}] = ops.size();
        ops.push_back({change_from(e.at("op"), client, xid), e.at("aggregate").get<std::string>(),
                       e.at("time_s").get<double>(), std::nullopt, std::nullopt});
        continue;
      }
      auto it = index.find({client, xid});
      if (it == index.end()) throw HistoryError("completion of an op never invoked");
      ClientOp& op = ops[it->second];
      op.completed_s = e.at("time_s").get<double>();
      if (type == "ok") {
        auto r = model::result_from_string(e.at("result").get<std::string>());
        if (!r) throw HistoryError("unknown result " + e.at("result").get<std::string>());
        op.result = *r;
      }
    } catch (const HistoryError& err) {
      throw HistoryError(path + ":" + std::to_string(line_no) + ": " + err.what());
    } catch (const std::exception& err) {
      throw HistoryError(path + ":" + std::to_string(line_no) + ": " + err.what());
    }
  }
  return out;
}

}  // namespace failsim::checker
