// Writing output files so that a failed write (a full disk, a file size
// limit, a vanished folder) is an error naming the file, never a silently
// truncated run folder, and so that a folder from elsewhere (a run folder
// from CI, a colleague's shard) cannot redirect a write: every file is
// created new (O_CREAT | O_EXCL | O_NOFOLLOW) under an unpredictable
// temporary name, relative to its directory opened once, and renamed over
// its final name. A symlink planted under the final name is replaced, never
// followed; one planted under a temporary name is never chosen.
#pragma once

#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace failsim {

struct WriteError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Writes `bytes` to `path`, replacing it whole or not at all; throws
// WriteError.
void write_file(const std::string& path, std::string_view bytes);

// Files of one directory replaced together: each write() goes to a
// temporary file at once (nothing is held in memory), commit() renames
// them all into place. Until commit() the old files stay as they were; a
// write that fails, or a set destroyed without commit(), removes every
// temporary file. So a report set is replaced as a whole or not at all
// (short of a rename failing between two others, which needs the
// directory itself to go away).
class FileSet {
 public:
  explicit FileSet(const std::string& dir);  // throws WriteError
  ~FileSet();
  FileSet(const FileSet&) = delete;
  FileSet& operator=(const FileSet&) = delete;

  // `name`: a plain file name in the directory (no '/').
  void write(const std::string& name, std::string_view bytes);
  void commit();
  const std::string& dir() const { return dir_; }

 private:
  struct Pending {
    std::string name, tmp;
  };
  void discard() noexcept;
  std::string dir_;
  int dir_fd_ = -1;
  std::vector<Pending> pending_;
};

// An unpredictable suffix for a temporary name: 16 hex digits from the
// kernel's random source.
std::string random_suffix();

// After the last write to a stream opened on `path`: flushes it and throws
// WriteError if any write failed. `why`: the errno of the first failed
// write, when the caller kept it (0: take errno now).
void finish_write(std::ostream& out, const std::string& path, int why = 0);

}  // namespace failsim
