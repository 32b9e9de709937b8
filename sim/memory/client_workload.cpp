// Workload generation and the client driver.
#include "sim/memory/client_workload.hpp"

namespace failsim::sim::memory {

using namespace failsim::model;

ClientOpStream::ClientOpStream(std::mt19937_64& rng, ClientId client, bool nest)
    : rng_(rng), client_(client), home_("/c" + std::to_string(client)), nest_(nest) {}

Change ClientOpStream::next() {
  static const char* names[] = {"a", "b", "c"};
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); };
  auto path_of_depth = [&](int levels) {
    std::string p = home_;
    for (int i = 0; i < levels; ++i) p += std::string("/") + names[pick(3)];
    return p;
  };
  int depth = 0;
  auto path = [&] {
    // Mostly one level deep: most changes then find their parent and take
    // effect (a change that fails changes nothing, so losing it shows nowhere).
    depth = pick(10) < 7 ? 1 : 2;
    return path_of_depth(depth);
  };
  if (xid_ == 0) {  // the first change creates the client's directory
    Change mk{OpType::mkdir, client_, ++xid_, home_};
    mk.mode = default_dir_mode;
    return mk;
  }
  Change c;
  c.client = client_;
  c.xid = ++xid_;
  c.type = static_cast<OpType>(pick(op_type_count));
  c.path = path();
  switch (c.type) {
    case OpType::create: c.mode = default_file_mode; break;
    case OpType::mkdir: c.mode = default_dir_mode; break;
    case OpType::write:
      c.offset = pick(3) == 0 ? 1500 + pick(3000) : pick(64);
      c.data = "w" + std::to_string(client_) + "." + std::to_string(c.xid) + ";";
      break;
    case OpType::append: c.data = "a" + std::to_string(client_) + "." + std::to_string(c.xid) + ";"; break;
    case OpType::truncate: c.size = pick(2) ? pick(16) : pick(3000); break;
    case OpType::rename: c.to = nest_ ? path() : path_of_depth(depth); break;
    case OpType::setattr: c.mode = 0600 + pick(0100); break;
    default: break;
  }
  return c;
}

std::vector<Change> random_client_ops(std::mt19937_64& rng, ClientId client, std::size_t count) {
  ClientOpStream stream(rng, client);
  std::vector<Change> ops;
  ops.push_back(stream.next());
  while (ops.size() < count) ops.push_back(stream.next());
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

}  // namespace failsim::sim::memory
