// What SIGINT and SIGTERM do to failsim: stop every child it forked, remove
// every temporary file and folder it made, say what was done, and exit 130
// (SIGINT) or 143 (SIGTERM), never leaving `DIR.tmp-*` debris or a
// simulation writing on for minutes. SIGXFSZ (a file size limit) is ignored,
// so that the write returns EFBIG and is reported as any failed write.
//
// The handler does all of it itself, with system calls only (kill, waitpid,
// unlinkat, getdents64, write): it may interrupt malloc, so it allocates
// nothing and takes no lock. What it must clean up is registered here, in
// fixed tables, with the signals blocked while a table changes.
#pragma once

#include <sys/types.h>

#include <string>

namespace failsim {

// Once, at the start of main(). A signal ignored at startup stays ignored.
void install_interrupt_handling();

// In a forked child, first thing: the default SIGINT/SIGTERM (the parent
// cleans up after it), nothing of the parent's to clean, and SIGKILL when
// the parent dies (PR_SET_PDEATHSIG), so no child outlives failsim.
void become_child_process(pid_t parent);

// A child to stop (SIGKILL, then wait for it) on an interrupt.
void watch_child(pid_t pid);
void unwatch_child(pid_t pid);

// A temporary file or folder (removed with everything under it) to remove
// on an interrupt. Paths longer than PATH_MAX are not registered (nothing
// failsim makes).
void watch_temp_path(const std::string& path);
void unwatch_temp_path(const std::string& path);

}  // namespace failsim
