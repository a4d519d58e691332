/* tspod-exec-helper: the last program tspod's child executes before the container's own.
 *
 * The child of tspod's native spawn (native/src/child.c) is a clone of Node: were it to execve the
 * container's program itself, the image that last ran in the process would be the host's Node,
 * and /proc/self/exe of a `#!/proc/self/exe` script, or of a process raced by `tspod exec`, would
 * hand the container a writable host binary (CVE-2019-5736). Instead the child executes this
 * static program from a memfd the addon sealed against writes (native/src/spawn.cc); it looks
 * the program up in the container's $PATH and executes it, reporting a failure on tspod's sync
 * socket in the child's `struct tspod_report` form: the step (exec, exec-interpreter) and the
 * errno, which tspod classifies (src/runtime/failure-class.ts).
 *
 * Usage (by tspod only): tspod-exec-helper SYNC-FD FILE -- ARGV...; the environment is the
 * program's. A container can run this program too (its /proc/<pid>/exe while it starts, or as a
 * #! interpreter): with any other arguments it does nothing but say so and exit as a shell does
 * for a command it cannot invoke, and with
 * these it does only what the container could do itself, an execve.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../src/child.h"
#include "../src/report.h"

/* After a report: tspod reads why from the report, never from this status. */
#define EXIT_REPORTED 1
/* Run as a container's own program (not by tspod), this is that program's exit status: a shell's
 * "cannot execute" (POSIX, 2.8.2), so the container's exit says the program could not be run.
 * The one exit-code number of native/ (test/cli/exit-code-sites.test.ts allows it). */
#define EXIT_SHELL_CANNOT_EXECUTE 126

static const char SELF[] = "tspod-exec-helper";

static int sync_fd = -1;

static void fail(int err, const char *step, const char *detail) __attribute__((noreturn));
static void fail(int err, const char *step, const char *detail) {
  tspod_send_report(sync_fd, err, step, detail);
  _exit(EXIT_REPORTED);
}

static void refuse(void) __attribute__((noreturn));
static void refuse(void) {
  static const char message[] =
      "tspod-exec-helper: this program only starts a container's process for tspod; it does nothing when run otherwise\n";
  tspod_write_all(2, message, sizeof message - 1);
  _exit(EXIT_SHELL_CANNOT_EXECUTE);
}

/* The sync fd as tspod passes it: a decimal number naming an open socket, which the program is
 * not to inherit (a successful execve shows as EOF on tspod's end). */
static int parse_sync_fd(const char *text) {
  if (!text[0] || strlen(text) > 7) return -1;
  int fd = 0;
  for (const char *p = text; *p; p++) {
    if (*p < '0' || *p > '9') return -1;
    fd = fd * 10 + (*p - '0');
  }
  struct stat st;
  if (fd < 3 || fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode)) return -1;
  if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) return -1;
  return fd;
}

static const char *env_path(char *const *envp) {
  for (; envp && *envp; envp++)
    if (strncmp(*envp, "PATH=", 5) == 0) return *envp + 5;
  return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

static int is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

/* execve failed for a program that exists: ENOENT then means its ELF interpreter (or a #!
 * interpreter) is missing, as crun reports it. */
static void fail_existing(const char *path, int err) __attribute__((noreturn));
static void fail_existing(const char *path, int err) {
  if (err == ENOENT) fail(err, "exec-interpreter", path);
  fail(err, "exec", path);
}

/* execve, with a $PATH search (from the container's own environment) when file has no slash.
 * Runs with the container process's credentials, so the checks are made with them. Like Go's
 * LookPath, a directory in $PATH is no candidate; like execvp, a candidate that exists but cannot
 * be executed is remembered, so that a later miss reports it rather than ENOENT. */
static void exec_program(const char *file, char *const *argv, char *const *envp) __attribute__((noreturn));
static void exec_program(const char *file, char *const *argv, char *const *envp) {
  if (strchr(file, '/')) {
    execve(file, argv, envp);
    int err = errno;
    if (err == ENOENT && !exists(file)) fail(err, "exec", file);
    fail_existing(file, err);
  }
  char candidate[4096];
  const char *p = env_path(envp);
  size_t flen = strlen(file);
  int best_err = ENOENT;
  while (1) {
    const char *end = strchr(p, ':');
    size_t dlen = end ? (size_t)(end - p) : strlen(p);
    if (dlen + flen + 2 <= sizeof candidate) {
      memcpy(candidate, dlen ? p : ".", dlen ? dlen : 1);
      size_t off = dlen ? dlen : 1;
      candidate[off] = '/';
      memcpy(candidate + off + 1, file, flen + 1);
      execve(candidate, argv, envp);
      int err = errno;
      if (err == ENOENT && exists(candidate)) fail_existing(candidate, err);
      if (err == EACCES && is_dir(candidate)) err = ENOENT;
      if (err != ENOENT && err != ENOTDIR) best_err = err;
    }
    if (!end) break;
    p = end + 1;
  }
  fail(best_err, "exec", file);
}

int main(int argc, char **argv, char **envp) {
  /* nothing of this process is for the container to read while it looks the program up */
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  if (argc < 4 || strcmp(argv[0], SELF) != 0 || strcmp(argv[3], "--") != 0) refuse();
  sync_fd = parse_sync_fd(argv[1]);
  if (sync_fd < 0) refuse();
  char *const *program_argv = argv + 4;
  exec_program(argv[2], program_argv, envp);
}
