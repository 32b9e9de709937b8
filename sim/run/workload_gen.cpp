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
  bool valid = spec_.paths == PathChoice::valid && std::uniform_int_distribution<int>(0, 9)(rng_) != 0;
  if (valid && !valid_paths(c)) {
    c.type = OpType::create;  // nothing yet for its type to act on: a file it can act on later
    valid_paths(c);
  }
  if (!valid) {
    c.path = random_path();
    if (c.type == OpType::rename) c.to = random_path();
  }
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
    case OpType::setattr: c.mode = 0600 | (small(rng_) & 077); break;
    default: break;
  }
  return c;
}

std::string OpGenerator::pick(const std::vector<std::string>& from) {
  return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng_)];
}

// Names no other client of a shared tree makes either.
std::string OpGenerator::fresh_name(const char* prefix) {
  return prefix + std::to_string(client_) + "." + std::to_string(++names_);
}

bool OpGenerator::valid_paths(model::Change& c) {
  if (dirs_.empty()) dirs_.push_back(home_);  // the root of a shared tree, or the home made by xid 1
  auto is_under = [](const std::string& path, const std::string& dir) {
    return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/';
  };
  switch (c.type) {
    case OpType::create:
    case OpType::mkdir: {
      c.path = pick(dirs_) + "/" + fresh_name(c.type == OpType::create ? "f" : "d");
      (c.type == OpType::create ? files_ : dirs_).push_back(c.path);
      return true;
    }
    case OpType::write:
    case OpType::append:
    case OpType::truncate:
    case OpType::setattr:
      if (files_.empty()) return false;
      c.path = pick(files_);
      return true;
    case OpType::rename: {
      if (files_.empty()) return false;
      c.path = pick(files_);
      c.to = pick(dirs_) + "/" + fresh_name("f");
      std::erase(files_, c.path);
      files_.push_back(c.to);
      return true;
    }
    case OpType::unlink:
      if (files_.empty()) return false;
      c.path = pick(files_);
      std::erase(files_, c.path);
      return true;
    case OpType::rmdir: {
      std::vector<std::string> empty;
      for (std::size_t d = 1; d < dirs_.size(); ++d) {  // never the home or the root
        bool has = false;
        for (const auto& p : dirs_) has = has || is_under(p, dirs_[d]);
        for (const auto& p : files_) has = has || is_under(p, dirs_[d]);
        if (!has) empty.push_back(dirs_[d]);
      }
      if (empty.empty()) return false;
      c.path = pick(empty);
      std::erase(dirs_, c.path);
      return true;
    }
  }
  return false;
}

}  // namespace failsim::sim
