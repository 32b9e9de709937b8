// Temporary folder, rename.
#include "sweep/sweep_folder.hpp"

#include <unistd.h>

#include <filesystem>

#include "sweep/sweep_read.hpp"

namespace failsim::sweep {

namespace fs = std::filesystem;

FolderInProgress::FolderInProgress(std::string final_dir, bool force) : final_(std::move(final_dir)), force_(force) {
  std::error_code ec;
  if (fs::exists(final_, ec) && !force_) throw SweepError({final_ + ": already exists (use --force to replace it)"});
  const fs::path final_path(final_);
  if (final_path.has_parent_path()) fs::create_directories(final_path.parent_path(), ec);
  tmp_ = final_ + ".tmp-" + std::to_string(::getpid());
  fs::remove_all(tmp_, ec);
  if (!fs::create_directory(tmp_, ec) || ec) throw SweepError({tmp_ + ": cannot create: " + ec.message()});
}

FolderInProgress::~FolderInProgress() {
  std::error_code ec;
  if (!committed_) fs::remove_all(tmp_, ec);
}

void FolderInProgress::commit() {
  std::error_code ec;
  if (force_) fs::remove_all(final_, ec);
  fs::rename(tmp_, final_, ec);
  if (ec) throw SweepError({final_ + ": cannot move the sweep folder into place: " + ec.message()});
  committed_ = true;
}

}  // namespace failsim::sweep
