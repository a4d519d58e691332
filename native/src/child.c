/* The child half of the namespace primitive: run the prepared steps, then execve. */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#define EXIT_ENGINE 125
#define EXIT_CANNOT_INVOKE 126
#define EXIT_NOT_FOUND 127

static void copy_str(char *dst, size_t size, const char *src) {
  size_t i = 0;
  if (src)
    for (; i + 1 < size && src[i]; i++) dst[i] = src[i];
  dst[i] = '\0';
}

static void write_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    p += n;
    len -= (size_t)n;
  }
}

static void fail(const struct tspod_plan *plan, int err, const char *step, const char *detail, int code) {
  struct tspod_report report;
  memset(&report, 0, sizeof report);
  report.err = err;
  copy_str(report.step, sizeof report.step, step);
  copy_str(report.detail, sizeof report.detail, detail);
  write_all(plan->sync_fd, &report, sizeof report);
  _exit(code);
}

/* Node installs signal handlers that write into its own pipes; the child must not run them. */
static void reset_signals(void) {
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    sigaction(sig, &dfl, NULL);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
}

static void wait_for_release(const struct tspod_plan *plan) {
  char byte;
  ssize_t n;
  do n = read(plan->sync_fd, &byte, 1);
  while (n < 0 && errno == EINTR);
  if (n != 1) _exit(EXIT_ENGINE); /* the parent gave up (id mapping failed) */
}

static int run_step(const struct tspod_step *s) {
  switch (s->kind) {
  case TSPOD_STEP_MOUNT:
    return mount(s->source, s->path, s->fstype, s->flags, s->data);
  case TSPOD_STEP_UMOUNT:
    return umount2(s->path, (int)s->flags);
  case TSPOD_STEP_MKDIR:
    if (mkdir(s->path, (mode_t)s->mode) < 0 && errno != EEXIST) return -1;
    return 0;
  case TSPOD_STEP_MKNOD:
    return mknod(s->path, (mode_t)s->mode, (dev_t)s->dev);
  case TSPOD_STEP_SETXATTR:
    return lsetxattr(s->path, s->fstype, s->source, strlen(s->source), 0);
  case TSPOD_STEP_SYMLINK:
    return symlink(s->source, s->path);
  case TSPOD_STEP_CHDIR:
    return chdir(s->path);
  case TSPOD_STEP_PIVOT_ROOT:
    return (int)syscall(SYS_pivot_root, s->path, s->source);
  case TSPOD_STEP_SETHOSTNAME:
    return sethostname(s->path, strlen(s->path));
  }
  errno = EINVAL;
  return -1;
}

static void install_stdio(const struct tspod_plan *plan) {
  for (int i = 0; i < 3; i++) {
    int fd = plan->stdio[i];
    if (fd < 0) continue;
    if (fd == i) {
      int flags = fcntl(fd, F_GETFD);
      if (flags >= 0) fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
    } else if (dup2(fd, i) < 0) {
      fail(plan, errno, "stdio", "dup2", EXIT_ENGINE);
    }
  }
}

static const char *env_path(char *const *envp) {
  for (; envp && *envp; envp++)
    if (strncmp(*envp, "PATH=", 5) == 0) return *envp + 5;
  return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

static int exit_code_for(int err) {
  return err == ENOENT || err == ENOTDIR ? EXIT_NOT_FOUND : EXIT_CANNOT_INVOKE;
}

/* execve, with a $PATH search (from the child's own environment) when file has no slash.
 * Like execvp, a candidate that exists but cannot be executed is remembered, so that a later
 * miss reports EACCES rather than ENOENT. */
static void exec_program(const struct tspod_plan *plan) {
  if (strchr(plan->file, '/')) {
    execve(plan->file, plan->argv, plan->envp);
    int err = errno;
    struct stat st;
    if (err == EACCES && stat(plan->file, &st) == 0 && S_ISDIR(st.st_mode)) err = EISDIR;
    fail(plan, err, "exec", plan->file, exit_code_for(err));
  }
  char candidate[4096];
  const char *p = env_path(plan->envp);
  size_t flen = strlen(plan->file);
  int best_err = ENOENT;
  while (1) {
    const char *end = strchr(p, ':');
    size_t dlen = end ? (size_t)(end - p) : strlen(p);
    if (dlen + flen + 2 <= sizeof candidate) {
      memcpy(candidate, dlen ? p : ".", dlen ? dlen : 1);
      size_t off = dlen ? dlen : 1;
      candidate[off] = '/';
      memcpy(candidate + off + 1, plan->file, flen + 1);
      execve(candidate, plan->argv, plan->envp);
      if (errno != ENOENT && errno != ENOTDIR) best_err = errno;
    }
    if (!end) break;
    p = end + 1;
  }
  fail(plan, best_err, "exec", plan->file, exit_code_for(best_err));
}

void tspod_child_run(const struct tspod_plan *plan) {
  reset_signals();
  if (plan->die_with_parent) prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (plan->wait_for_release) wait_for_release(plan);

  for (size_t i = 0; i < plan->nsteps; i++) {
    const struct tspod_step *s = &plan->steps[i];
    if (run_step(s) < 0) fail(plan, errno, s->name, s->path, EXIT_ENGINE);
  }

  install_stdio(plan);
  if (plan->cwd && chdir(plan->cwd) < 0) fail(plan, errno, "chdir", plan->cwd, EXIT_ENGINE);
  if (!plan->file) _exit(0);
  exec_program(plan);
  _exit(EXIT_ENGINE);
}
