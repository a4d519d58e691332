/* The child half of tspod's namespace primitive.
 *
 * Everything the child needs is prepared by the parent before clone(), so the child only reads
 * memory and makes async-signal-safe calls until execve(): the Node process it was cloned from
 * is multithreaded, and no lock (malloc, stdio) may be taken in the child. Credentials are
 * changed with raw syscalls for the same reason: glibc's setgroups/setresuid would try to
 * broadcast the change to the parent's threads, which do not exist in the child.
 *
 * Every decision (which steps, in which order, with which flags) is made in TypeScript
 * (src/runtime/plan.ts); the child only executes the list. */
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
  TSPOD_STEP_MKDIRP,        /* path, creating missing parents with mode */
  TSPOD_STEP_TOUCH,         /* an empty file at path (mode) unless something is there already */
  TSPOD_STEP_SETGROUPS,     /* ids/nids; keep_groups: do nothing at all */
  TSPOD_STEP_SETRESGID,     /* id */
  TSPOD_STEP_SETRESUID,     /* id; keeps the permitted capabilities for a following caps step */
  TSPOD_STEP_UMASK,         /* mode */
  TSPOD_STEP_RLIMIT,        /* resource, soft, hard */
  TSPOD_STEP_CAPS,          /* caps[] */
  TSPOD_STEP_NO_NEW_PRIVS,
  TSPOD_STEP_SETSID,
  TSPOD_STEP_UMOUNT_DETACH, /* umount2(path, MNT_DETACH) */
  TSPOD_STEP_CONSOLE,       /* a pty from the container's /dev/ptmx: slave as 0-2 and the
                               controlling terminal, master sent to the parent (console_fd);
                               rows, cols: its window size */
  TSPOD_STEP_LOOPBACK_UP,   /* set IFF_UP on "lo" in the child's network namespace */
  TSPOD_STEP_SECCOMP,       /* seccomp(SECCOMP_SET_MODE_FILTER, flags, {filter, filter_len / 8}) */
  TSPOD_STEP_WAIT_RELEASE,  /* wait for one more byte from the parent (what it set up beside the
                               steps through /proc/<pid>/ns, the network, is ready); the child
                               is dumpable until then, and only then */
  TSPOD_STEP_NEST_USERNS,   /* unshare a user namespace below the child's own, whose maps (source:
                               uid_map text, data: gid_map text, in the ids of the child's
                               namespace) a forked helper left behind in that namespace writes:
                               what was mounted before keeps the access of the ids the container's
                               own maps leave out (--userns=nomap, auto) */
  TSPOD_STEP_WRITE,         /* write data to the existing file at path (a sysctl under /proc/sys) */
  TSPOD_STEP_HOLD,          /* `init`: every step before it done and the program found (a
                               missing one fails as the exec would), send the byte 'h' and wait for
                               one more byte from the parent (`start`) before the program runs;
                               nothing about dumpable changes (the child stays non-dumpable) */
};

/* tspod_step.opts */
#define TSPOD_OPT_IN_ROOT 0x01        /* resolve path with the cwd as root (openat2 RESOLVE_IN_ROOT) */
#define TSPOD_OPT_SOURCE_IN_ROOT 0x02 /* the same for a mount source */
#define TSPOD_OPT_OPTIONAL 0x04       /* skip the step when path does not exist */
#define TSPOD_OPT_ONLY_DIR 0x08       /* skip the step unless path is a directory */
#define TSPOD_OPT_ONLY_NONDIR 0x10    /* skip the step if path is a directory */
#define TSPOD_OPT_KEEP_LOCKED 0x20    /* mount: add the flags the kernel locks (from statfs of path) */
#define TSPOD_OPT_COPY_UP 0x40        /* mount: copy what the dir under the new mount held into it (tmpcopyup) */

enum tspod_caps_set { TSPOD_CAPS_BOUNDING, TSPOD_CAPS_EFFECTIVE, TSPOD_CAPS_PERMITTED, TSPOD_CAPS_INHERITABLE, TSPOD_CAPS_AMBIENT };

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
  unsigned int opts;          /* TSPOD_OPT_* */
  int fallback_errno;         /* nonzero: failing with this errno runs the next fallback_steps steps */
  unsigned int fallback_steps;/* instead; succeeding skips them */
  unsigned int id;            /* setresuid / setresgid */
  const unsigned int *ids;    /* setgroups */
  size_t nids;
  int keep_groups;            /* setgroups: skip it, the process keeps its supplementary groups */
  int resource;               /* rlimit */
  unsigned long long soft, hard;
  unsigned long long caps[5]; /* indexed by enum tspod_caps_set; bit n = capability n */
  const void *filter;         /* seccomp: struct sock_filter[], compiled by the parent */
  size_t filter_len;          /* in bytes */
  unsigned short rows, cols;  /* console: the window size to set (0 and 0: none) */
};

/* Sent by the child on the sync socket when a step fails; nothing is sent on success
 * (the socket is close-on-exec, so a successful execve shows as EOF). */
struct tspod_report {
  int err;
  char step[64];
  char detail[448];
};

/* A namespace of another process to enter (join mode): opened by the parent before clone. */
struct tspod_join {
  int fd;             /* /proc/<pid>/ns/<name>, close-on-exec */
  int nstype;         /* CLONE_NEW* */
  const char *path;   /* shown in error reports */
};

struct tspod_plan {
  int sync_fd;            /* child end of the sync socket */
  int wait_for_release;   /* send the byte 'r' (ready for the id maps: dumpable now), then block
                             until the parent writes one byte (id maps written) */
  int die_with_parent;
  int stdio[3];           /* fd to install as 0,1,2, or -1 to keep the inherited one */
  int console_fd;         /* child end of the console socket, or -1 */
  /* --preserve-fds: fds 3 .. 3+preserve_fds-1, passed to tspod by its caller, stay open and
   * lose close-on-exec (Node sets it on the low fds it inherits), so the program gets them. The
   * parent checked that none of the child's own fds above has one of these numbers. */
  int preserve_fds;
  const struct tspod_step *steps;
  size_t nsteps;
  const char *file;       /* program to execute; NULL: exit 0 after the steps */
  char *const *argv;
  char *const *envp;
  /* The program is started by the exec helper (native/exec-helper/), executed from this sealed
   * memfd with exec_argv ("tspod-exec-helper", sync fd, file, "--", argv...): so the image that
   * last ran in the process before the program is never the host's Node. */
  int exec_fd;
  char *const *exec_argv;
  const char *cwd;        /* NULL: keep */
  /* Join mode: setns() into these, in this order (user first, mount last), before the steps.
   * With fork_after_join (a pid namespace is joined) the child forks once more: the grandchild,
   * inside the pid namespace, runs the steps and execs; the child forwards signals to it and
   * exits with its status. */
  const struct tspod_join *joins;
  size_t njoins;
  int fork_after_join;
  /* With joins: CLONE_NEW* flags to unshare once joined (CLONE_NEWPID: the fork makes it). */
  int unshare_flags;
};

void tspod_child_run(const struct tspod_plan *plan) __attribute__((noreturn));

#ifdef __cplusplus
}
#endif

#endif
