// The interrupt handler and its fixed tables. Everything the handler calls is
// a system call: it may run in the middle of malloc or of a stream write.
#include "common/interrupts.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

namespace failsim {

namespace {

constexpr int max_children = 256;  // more than any --jobs a machine runs
constexpr int max_paths = 64;      // a run folder, a work folder, a report set's temporary files

// 0: a free slot. Written with the signals blocked, read by the handler.
volatile pid_t children[max_children];
char paths[max_paths][PATH_MAX];

// Blocks SIGINT and SIGTERM for the life of the object: a table is never
// seen half-changed by the handler.
class Blocked {
 public:
  Blocked() {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    sigaddset(&s, SIGTERM);
    sigprocmask(SIG_BLOCK, &s, &old_);
  }
  ~Blocked() { sigprocmask(SIG_SETMASK, &old_, nullptr); }

 private:
  sigset_t old_;
};

// ---- what the handler may call ----

struct Text {
  char buf[8192];
  std::size_t n = 0;
  void add(const char* s) {
    while (*s && n + 1 < sizeof buf) buf[n++] = *s++;
  }
  void add(long v) {
    char d[24];
    int k = 0;
    if (v == 0) d[k++] = '0';
    while (v > 0 && k < 23) d[k++] = static_cast<char>('0' + v % 10), v /= 10;
    while (k > 0 && n + 1 < sizeof buf) buf[n++] = d[--k];
  }
};

struct LinuxDirent64 {
  ino64_t d_ino;
  off64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

// Removes `name` under `dir_fd`, and everything under it when it is a
// folder (never following a link). True when something was removed.
bool remove_tree(int dir_fd, const char* name, int depth) {
  if (::unlinkat(dir_fd, name, 0) == 0) return true;
  if (errno != EISDIR && errno != EPERM) return false;
  if (depth > 32) return false;  // deeper than anything failsim makes
  const int fd = ::openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return false;
  // Entries removed while the folder is read may make the kernel skip
  // others: read it again from the start until a pass removes nothing.
  for (bool removed = true; removed;) {
    removed = false;
    ::lseek(fd, 0, SEEK_SET);
    alignas(8) char buf[2048];
    for (;;) {
      const long got = ::syscall(SYS_getdents64, fd, buf, sizeof buf);
      if (got <= 0) break;
      for (long at = 0; at < got;) {
        const auto* e = reinterpret_cast<const LinuxDirent64*>(buf + at);
        at += e->d_reclen;
        if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
        if (remove_tree(fd, e->d_name, depth + 1)) removed = true;
      }
    }
  }
  ::close(fd);
  return ::unlinkat(dir_fd, name, AT_REMOVEDIR) == 0;
}

void on_interrupt(int sig) {
  Text t;
  t.add("failsim: interrupted by ");
  t.add(sig == SIGINT ? "SIGINT" : "SIGTERM");
  long stopped = 0;
  for (int i = 0; i < max_children; ++i)
    if (const pid_t pid = children[i]; pid > 0 && ::kill(pid, SIGKILL) == 0) ++stopped;
  for (int i = 0; i < max_children; ++i)
    if (const pid_t pid = children[i]; pid > 0)
      while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
      }
  if (stopped > 0) {
    t.add(": stopped ");
    t.add(stopped);
    t.add(stopped == 1 ? " child process" : " child processes");
  }
  bool first = true;
  for (int i = 0; i < max_paths; ++i) {
    if (paths[i][0] == 0 || !remove_tree(AT_FDCWD, paths[i], 0)) continue;
    t.add(first ? (stopped > 0 ? "; removed " : ": removed ") : ", ");
    t.add(paths[i]);
    first = false;
  }
  if (stopped == 0 && first) t.add(": nothing to clean up");
  t.add("\n");
  for (std::size_t at = 0; at < t.n;) {
    const ssize_t w = ::write(2, t.buf + at, t.n - at);
    if (w <= 0) break;
    at += static_cast<std::size_t>(w);
  }
  ::_exit(128 + sig);
}

}  // namespace

void install_interrupt_handling() {
  struct sigaction a {};
  a.sa_handler = on_interrupt;
  sigemptyset(&a.sa_mask);
  sigaddset(&a.sa_mask, SIGINT);  // one interrupt at a time: a second Ctrl-C waits for the first's cleanup
  sigaddset(&a.sa_mask, SIGTERM);
  // A signal ignored when failsim started (a background job of a
  // non-interactive shell ignores SIGINT, nohup-style launchers others)
  // stays ignored, as the shell meant.
  for (int sig : {SIGINT, SIGTERM}) {
    struct sigaction old {};
    if (sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    sigaction(sig, &a, nullptr);
  }
  // A file size limit: the write fails with EFBIG and is reported, instead
  // of the process dying with its temporary file left behind.
  std::signal(SIGXFSZ, SIG_IGN);
}

void become_child_process(pid_t parent) {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  for (auto& c : children) c = 0;
  for (auto& p : paths) p[0] = 0;
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(3);  // the parent died before prctl: nobody waits for this child
}

void watch_child(pid_t pid) {
  Blocked b;
  for (auto& c : children)
    if (c == 0) {
      c = pid;
      return;
    }
}

void unwatch_child(pid_t pid) {
  Blocked b;
  for (auto& c : children)
    if (c == pid) c = 0;
}

void watch_temp_path(const std::string& path) {
  if (path.empty() || path.size() >= PATH_MAX) return;
  Blocked b;
  for (auto& p : paths)
    if (p[0] == 0) {
      std::memcpy(p, path.c_str(), path.size() + 1);
      return;
    }
}

void unwatch_temp_path(const std::string& path) {
  Blocked b;
  for (auto& p : paths)
    if (p[0] != 0 && path == p) p[0] = 0;
}

}  // namespace failsim
