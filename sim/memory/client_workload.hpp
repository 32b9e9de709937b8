// Random client workloads for the core (the demo, its tests and benchmarks),
// and a client driver that keeps one request outstanding per client,
// retransmits it after a failure, and records each reply. Every append carries a payload unique to its client
// and xid, so a change applied twice shows in the final contents.
#pragma once

#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "model/change.hpp"
#include "model/result.hpp"
#include "model/server_io.hpp"

namespace failsim::sim::memory {

// `count` random changes of every type by one client, inside "/c<client>"
// (which the first change creates), over a few names so that errors
// (ENOENT, EEXIST, ENOTEMPTY, ...) are frequent.
std::vector<model::Change> random_client_ops(std::mt19937_64& rng, model::ClientId client, std::size_t count);

// The same changes one at a time, drawing from `rng` exactly as
// random_client_ops does (so that a benchmark can stream millions of them).
// With `nest` false, a rename keeps the depth of what it moves: directories
// are never moved into one another, so the namespace stays a few dozen
// paths however long the stream (with nesting, paths grow without bound
// over millions of changes, and so does the final state).
class ClientOpStream {
 public:
  ClientOpStream(std::mt19937_64& rng, model::ClientId client, bool nest = true);
  model::Change next();

 private:
  std::mt19937_64& rng_;
  model::ClientId client_;
  std::string home_;
  bool nest_;
  model::Xid xid_ = 0;
};

class ClientDriver {
 public:
  struct Client {
    model::ClientId id;
    std::string aggregate;
    std::vector<model::Change> ops;
    std::size_t next = 0;                // next op to issue
    std::optional<std::size_t> waiting;  // op awaiting its reply
    std::vector<model::Result> results;  // one per answered op
  };

  void add(model::ClientId id, std::string aggregate, std::vector<model::Change> ops);
  // Sends each idle client's next op through `send`.
  template <class Send>
  void issue(Send&& send) {
    for (auto& [id, c] : clients_) {
      if (c.waiting || c.next >= c.ops.size()) continue;
      c.waiting = c.next++;
      send(c.aggregate, c.ops[*c.waiting]);
    }
  }
  // Resends every outstanding op with its original xid.
  template <class Send>
  void retransmit(Send&& send) {
    for (auto& [id, c] : clients_)
      if (c.waiting) send(c.aggregate, c.ops[*c.waiting]);
  }
  // Records replies; a reply for an op that is not outstanding is a duplicate.
  void take(const std::vector<model::Reply>& replies);
  bool done() const;
  std::uint64_t duplicate_replies = 0;
  std::uint64_t answered() const;
  const std::map<model::ClientId, Client>& clients() const { return clients_; }

 private:
  std::map<model::ClientId, Client> clients_;
};

}  // namespace failsim::sim::memory
