// Workload generation and the client driver.
#include "workload.hpp"

namespace failsim::testing {

using namespace failsim::model;

std::vector<Change> random_client_ops(std::mt19937_64& rng, ClientId client, std::size_t count) {
  const std::string home = "/c" + std::to_string(client);
  static const char* names[] = {"a", "b", "c"};
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  auto path = [&] {
    std::string p = home;
    // Mostly one level deep: most changes then find their parent and take
    // effect (a change that fails changes nothing, so losing it shows nowhere).
    int depth = pick(10) < 7 ? 1 : 2;
    for (int i = 0; i < depth; ++i) p += std::string("/") + names[pick(3)];
    return p;
  };
  std::vector<Change> ops;
  Xid xid = 0;
  Change mk{OpType::mkdir, client, ++xid, home};
  mk.mode = default_dir_mode;
  ops.push_back(mk);
  while (ops.size() < count) {
    Change c;
    c.client = client;
    c.xid = ++xid;
    c.type = static_cast<OpType>(pick(op_type_count));
    c.path = path();
    switch (c.type) {
      case OpType::create: c.mode = default_file_mode; break;
      case OpType::mkdir: c.mode = default_dir_mode; break;
      case OpType::write:
        c.offset = pick(3) == 0 ? 1500 + pick(3000) : pick(64);
        c.data = "w" + std::to_string(client) + "." + std::to_string(c.xid) + ";";
        break;
      case OpType::append: c.data = "a" + std::to_string(client) + "." + std::to_string(c.xid) + ";"; break;
      case OpType::truncate: c.size = pick(2) ? pick(16) : pick(3000); break;
      case OpType::rename: c.to = path(); break;
      case OpType::setattr: c.mode = 0600 + pick(0100); break;
      default: break;
    }
    ops.push_back(std::move(c));
  }
  return ops;
}

void ClientDriver::add(ClientId id, std::string aggregate, std::vector<Change> ops) {
  clients_[id] = Client{id, std::move(aggregate), std::move(ops), 0, std::nullopt, {}};
}

void ClientDriver::take(const std::vector<Reply>& replies) {
  for (const Reply& r : replies) {
    auto it = clients_.find(r.client);
    if (it == clients_.end()) continue;
    Client& c = it->second;
    if (!c.waiting || c.ops[*c.waiting].xid != r.xid) {
      ++duplicate_replies;
      continue;
    }
    c.results.push_back(r.result);
    c.waiting.reset();
  }
}

bool ClientDriver::done() const {
  for (const auto& [id, c] : clients_)
    if (c.waiting || c.next < c.ops.size()) return false;
  return true;
}

std::uint64_t ClientDriver::answered() const {
  std::uint64_t n = 0;
  for (const auto& [id, c] : clients_) n += c.results.size();
  return n;
}

}  // namespace failsim::testing
