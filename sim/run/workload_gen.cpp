// Op generation from the mix.
#include "workload_gen.hpp"

#include "rng.hpp"

namespace failsim::sim {

using model::OpType;

OpGenerator::OpGenerator(const WorkloadSpec& spec, model::ClientId client, std::uint64_t seed)
    : spec_(spec),
      client_(client),
      rng_(make_stream(seed, "client" + std::to_string(client))),
      mix_({spec.mix.create, spec.mix.mkdir, spec.mix.write, spec.mix.append, spec.mix.truncate, spec.mix.rename,
            spec.mix.unlink, spec.mix.rmdir, spec.mix.setattr}),
      home_(spec.namespace_mode == NamespaceMode::shared_tree ? "" : "/c" + std::to_string(client)) {}

std::string OpGenerator::random_path() {
  // A few names at two levels: collisions, and so errors, are common, as
  // are renames across directories.
  static const char* dirs[] = {"d0", "d1", "d2"};
  static const char* files[] = {"f0", "f1", "f2", "f3"};
  std::uniform_int_distribution<int> pick(0, 99);
  std::string p = home_;
  if (pick(rng_) < 50) p += std::string("/") + dirs[pick(rng_) % 3];
  p += std::string("/") + (pick(rng_) < 30 ? dirs[pick(rng_) % 3] : files[pick(rng_) % 4]);
  return p;
}

std::string OpGenerator::payload(model::Xid xid) {
  std::string tag = "<c" + std::to_string(client_) + "x" + std::to_string(xid) + ">";
  std::uniform_int_distribution<std::uint32_t> len(spec_.data_bytes_min, spec_.data_bytes_max);
  std::string data = tag;
  std::uint32_t n = len(rng_);
  data.reserve(n);
  std::uniform_int_distribution<int> ch('a', 'z');
  while (data.size() < n) data.push_back(static_cast<char>(ch(rng_)));
  return data;
}

model::Change OpGenerator::next() {
  model::Change c;
  c.client = client_;
  c.xid = ++xid_;
  if (c.xid == 1 && !home_.empty()) {
    c.type = OpType::mkdir;
    c.path = home_;
    c.mode = model::default_dir_mode;
    return c;
  }
  c.type = static_cast<OpType>(mix_(rng_));
  c.path = random_path();
  std::uniform_int_distribution<int> small(0, 4096);
  switch (c.type) {
    case OpType::create: c.mode = model::default_file_mode; break;
    case OpType::mkdir: c.mode = model::default_dir_mode; break;
    case OpType::write:
      c.offset = small(rng_);
      c.data = payload(c.xid);
      break;
    case OpType::append: c.data = payload(c.xid); break;
    case OpType::truncate: c.size = small(rng_); break;
    case OpType::rename: c.to = random_path(); break;
    case OpType::setattr: c.mode = 0600 | (small(rng_) & 077); break;
    default: break;
  }
  return c;
}

}  // namespace failsim::sim
