/* The child half of tspod's namespace primitive.
 *
 * Everything the child needs is prepared by the parent before clone(), so the child only reads
 * memory and makes async-signal-safe calls until execve(): the Node process it was cloned from
 * is multithreaded, and no lock (malloc, stdio) may be taken in the child. */
#ifndef TSPOD_CHILD_H
#define TSPOD_CHILD_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum tspod_step_kind {
  TSPOD_STEP_MOUNT,
  TSPOD_STEP_UMOUNT,
  TSPOD_STEP_MKDIR,
  TSPOD_STEP_MKNOD,
  TSPOD_STEP_SETXATTR,
  TSPOD_STEP_SYMLINK,
  TSPOD_STEP_CHDIR,
  TSPOD_STEP_PIVOT_ROOT,
  TSPOD_STEP_SETHOSTNAME,
};

struct tspod_step {
  enum tspod_step_kind kind;
  const char *name;   /* shown in error reports, e.g. "mount overlay on /x" */
  const char *path;   /* target / path / new root */
  const char *source; /* mount source, symlink target, xattr value, old root */
  const char *fstype; /* mount fstype, xattr name */
  const char *data;   /* mount data */
  unsigned long flags;
  unsigned long mode;
  unsigned long dev;
};

/* Sent by the child on the sync socket when a step fails; nothing is sent on success
 * (the socket is close-on-exec, so a successful execve shows as EOF). */
struct tspod_report {
  int err;
  char step[64];
  char detail[448];
};

struct tspod_plan {
  int sync_fd;            /* child end of the sync socket */
  int wait_for_release;   /* block until the parent writes one byte (id maps written) */
  int die_with_parent;
  int stdio[3];           /* fd to install as 0,1,2, or -1 to keep the inherited one */
  const struct tspod_step *steps;
  size_t nsteps;
  const char *file;       /* program to execute; NULL: exit 0 after the steps */
  char *const *argv;
  char *const *envp;
  const char *cwd;        /* NULL: keep */
};

void tspod_child_run(const struct tspod_plan *plan) __attribute__((noreturn));

#ifdef __cplusplus
}
#endif

#endif
