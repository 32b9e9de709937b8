// The core's file system against the std::map reference model, and the
// reference model against the running Linux kernel: the same results for
// random sequences of every change type over a small, colliding namespace,
// and the same final tree.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/filesystem.hpp"
#include "checker/reference_fs.hpp"
#include "sim/memory/memory_block_device.hpp"

namespace failsim {
namespace {

using namespace model;

// Paths over a few names, up to three levels deep (and "/" now and then).
rc::Gen<std::string> path_gen(std::vector<std::string> names) {
  return rc::gen::exec([names] {
    if (*rc::gen::inRange(0, 40) == 0) return std::string("/");
    std::string p;
    int depth = *rc::gen::inRange(1, 4);
    for (int i = 0; i < depth; ++i) p += "/" + *rc::gen::elementOf(names);
    return p;
  });
}

rc::Gen<Change> change_gen(std::vector<std::string> names = {"a", "b", "c"}) {
  return rc::gen::exec([names] {
    Change c;
    c.client = 1;
    c.type = static_cast<OpType>(*rc::gen::inRange(0, op_type_count));
    c.path = *path_gen(names);
    c.to = *path_gen(names);
    c.offset = *rc::gen::element<std::uint64_t>(0, 3, 5000);
    c.size = *rc::gen::element<std::uint64_t>(0, 2, 4500);
    c.mode = *rc::gen::element<std::uint32_t>(0644, 0755, 0600, 01777);
    c.data = *rc::gen::element<std::string>("x", "hello", std::string(300, 'z'));
    return c;
  });
}

RC_GTEST_PROP(Reference, FilesystemAgreesWithTheReferenceModel, ()) {
  const auto ops = *rc::gen::container<std::vector<Change>>(change_gen());
  const FsConfig config{1024, 4096, 512, 1u << 20};
  Filesystem fs(config);
  checker::ReferenceFs ref(config.max_file_size_bytes);
  sim::memory::MemoryBlockDevice dev(config.block_size, config.block_count);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    Change c = ops[i];
    c.xid = i + 1;
    const Result want = ref.apply(c);
    RC_ASSERT(fs.apply(c) == want);
    if (i % 7 == 6) {
      // A CP and a reload in between: the image carries the same semantics.
      CpPlan plan = fs.build_cp(i);
      for (const auto& b : plan.blocks) dev.write(b.bno, b.bytes);
      dev.write(0, plan.superblock);
      dev.write(1, plan.superblock);
      fs.commit_cp();
      fs = std::move(*load_image({&dev}, config.max_file_size_bytes).fs);
    }
  }
  RC_ASSERT(fs.tree() == ref.tree());
}

// ---- the reference against the kernel ----

std::string errno_name(int e) {
  switch (e) {
    case 0: return "OK";
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case EINVAL: return "EINVAL";
    case EBUSY: return "EBUSY";
    case EFBIG: return "EFBIG";
  }
  return "errno " + std::to_string(e);
}

// Runs a change with the real system calls under `root`.
std::string linux_apply(const std::string& root, const Change& c) {
  const std::string p = root + c.path;
  int rc = 0;
  switch (c.type) {
    case OpType::create: {
      int fd = ::open(p.c_str(), O_CREAT | O_EXCL | O_WRONLY, c.mode & 07777);
      if (fd >= 0) {
        ::fchmod(fd, c.mode & 07777);  // no umask, no setgid stripping surprises
        ::close(fd);
      }
      rc = fd >= 0 ? 0 : -1;
      break;
    }
    case OpType::mkdir:
      rc = ::mkdir(p.c_str(), c.mode & 07777);
      if (rc == 0) ::chmod(p.c_str(), c.mode & 07777);
      break;
    case OpType::write:
    case OpType::append: {
      int fd = ::open(p.c_str(), O_WRONLY | (c.type == OpType::append ? O_APPEND : 0));
      if (fd < 0) return errno_name(errno);
      ssize_t n = c.type == OpType::append ? ::write(fd, c.data.data(), c.data.size())
                                           : ::pwrite(fd, c.data.data(), c.data.size(), static_cast<off_t>(c.offset));
      int e = errno;
      ::close(fd);
      return n < 0 ? errno_name(e) : "OK";
    }
    case OpType::truncate: rc = ::truncate(p.c_str(), static_cast<off_t>(c.size)); break;
    case OpType::rename: rc = ::rename(p.c_str(), (root + c.to).c_str()); break;
    case OpType::unlink: rc = ::unlink(p.c_str()); break;
    case OpType::rmdir: rc = ::rmdir(p.c_str()); break;
    case OpType::setattr: rc = ::chmod(p.c_str(), c.mode & 07777); break;
  }
  return rc == 0 ? "OK" : errno_name(errno);
}

std::map<std::string, PathInfo> linux_tree(const std::string& root) {
  std::map<std::string, PathInfo> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    struct stat st {};
    ::lstat(e.path().c_str(), &st);
    PathInfo info{S_ISDIR(st.st_mode) ? InodeType::dir : InodeType::file, st.st_mode & 07777, 0, {}};
    if (!S_ISDIR(st.st_mode)) {
      std::ifstream in(e.path(), std::ios::binary);
      std::ostringstream s;
      s << in.rdbuf();
      info.contents = s.str();
      info.size = info.contents.size();
    }
    out[e.path().string().substr(root.size())] = info;
  }
  return out;
}

// Runs `ops` through the reference and through the kernel in a fresh
// temporary directory: the same result for each, and the same final tree.
void agree_with_linux(const std::vector<Change>& ops) {
  char tmpl[] = "/tmp/failsim-linux-XXXXXX";
  const std::string root = ::mkdtemp(tmpl);
  ::chmod(root.c_str(), 0755);
  checker::ReferenceFs ref;
  for (const Change& c : ops) {
    const std::string want = linux_apply(root, c);
    const std::string got(to_string(ref.apply(c)));
    if (got != want) {
      std::filesystem::remove_all(root);
      RC_FAIL(std::string(to_string(c.type)) + " " + c.path + (c.type == OpType::rename ? " -> " + c.to : "") +
              ": reference " + got + ", Linux " + want);
    }
  }
  const auto kernel = linux_tree(root);
  std::filesystem::remove_all(root);
  RC_ASSERT(ref.tree() == kernel);
}

// The kernel's root is not a temporary directory's: changes that name "/"
// are the reference's own (unit-tested below).
bool names_no_root(const Change& c) { return c.path != "/" && c.to != "/"; }

RC_GTEST_PROP(Reference, TheReferenceModelAgreesWithTheLinuxKernel, ()) {
  agree_with_linux(*rc::gen::container<std::vector<Change>>(rc::gen::suchThat(change_gen(), names_no_root)));
}

// Names that sort between a directory and its children ("a" < "a.b" <
// "a/x": '.' and '-' come before '/'): a directory's contents are found,
// moved and counted as the directory's, not cut off by a sibling.
RC_GTEST_PROP(Reference, NamesSortingNextToADirectoryDoNotSplitIt, ()) {
  agree_with_linux(*rc::gen::container<std::vector<Change>>(
      rc::gen::suchThat(change_gen({"a", "a.b", "a-c", "b"}), names_no_root)));
}

TEST(Reference, TheRootDirectory) {
  checker::ReferenceFs ref;
  Filesystem fs(FsConfig{});
  for (auto [type, want] : {std::pair{OpType::mkdir, Result::eexist}, {OpType::create, Result::eexist},
                            {OpType::rmdir, Result::ebusy}, {OpType::unlink, Result::eisdir},
                            {OpType::write, Result::eisdir}, {OpType::setattr, Result::ok}}) {
    Change c{type, 1, 1, "/", {}, 0, 0, 0755, "x"};
    EXPECT_EQ(ref.apply(c), want) << to_string(type);
    EXPECT_EQ(fs.apply(c), want) << to_string(type);
  }
  Change mv{OpType::rename, 1, 1, "/", "/x", 0, 0, 0, {}};
  EXPECT_EQ(ref.apply(mv), Result::ebusy);
  EXPECT_EQ(fs.apply(mv), Result::ebusy);
}

}  // namespace
}  // namespace failsim
