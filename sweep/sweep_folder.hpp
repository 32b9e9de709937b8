// A sweep folder is written under a temporary name beside its final one and
// renamed into place only when complete, as run folders are: an interrupted
// or refused sweep leaves nothing under the final name.
#pragma once

#include <string>

namespace failsim::sweep {

class FolderInProgress {
 public:
  // Throws SweepError when `final_dir` exists and !force, or the temporary
  // folder cannot be made.
  FolderInProgress(std::string final_dir, bool force);
  ~FolderInProgress();  // removes the temporary folder unless committed
  FolderInProgress(const FolderInProgress&) = delete;
  FolderInProgress& operator=(const FolderInProgress&) = delete;

  const std::string& path() const { return tmp_; }
  // Renames the temporary folder into place (replacing the old one with force).
  void commit();

 private:
  std::string final_, tmp_;
  bool force_, committed_ = false;
};

}  // namespace failsim::sweep
