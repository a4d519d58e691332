/* The child half of the namespace primitive: run the prepared steps, then execve. */
#include "child.h"
#include "report.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/filter.h>
#include <linux/nsfs.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <termios.h>
#include <unistd.h>

/* The child's status when it failed before the program ran. tspod reads why from the report (the
 * step and errno; src/runtime/failure-class.ts classifies them), never from this status. */
#define EXIT_CHILD_FAILED 1

#define STEP_SKIPPED 1

static void fail(const struct tspod_plan *plan, int err, const char *step, const char *detail) __attribute__((noreturn));
static void fail(const struct tspod_plan *plan, int err, const char *step, const char *detail) {
  tspod_send_report(plan->sync_fd, err, step, detail);
  _exit(EXIT_CHILD_FAILED);
}

/* Node installs signal handlers that write into its own pipes; the child must not run them.
 * mask: the signals to keep blocked (the parent blocked all of them across clone). */
static void reset_signals(const sigset_t *mask) {
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    sigaction(sig, &dfl, NULL);
  }
  sigprocmask(SIG_SETMASK, mask, NULL);
}

static void wait_for_release(const struct tspod_plan *plan) {
  char byte;
  ssize_t n;
  do n = read(plan->sync_fd, &byte, 1);
  while (n < 0 && errno == EINTR);
  if (n != 1) _exit(EXIT_CHILD_FAILED); /* the parent gave up (id mapping failed) */
}

/* ---- paths inside the container's root ---------------------------------------------------- */

/* An O_PATH fd for path. In the root, the cwd is the root: absolute symlinks and ".." in the
 * image resolve inside it, never to the host (openat2 RESOLVE_IN_ROOT). */
static int open_path(const char *path, int flags, int in_root) {
  if (!in_root) return open(path, flags | O_PATH | O_CLOEXEC);
  struct open_how how;
  memset(&how, 0, sizeof how);
  how.flags = (unsigned long long)(flags | O_PATH | O_CLOEXEC);
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  return (int)syscall(SYS_openat2, AT_FDCWD, path[0] ? path : "/", &how, sizeof how);
}

static void close_keep_errno(int fd) {
  int saved = errno;
  if (fd >= 0) close(fd);
  errno = saved;
}

/* "/proc/self/fd/N": syscalls that take a path (mount, umount2, statfs) act on the fd's file. */
static const char *fd_path(char *buf, int fd) {
  static const char prefix[] = "/proc/self/fd/";
  char digits[16];
  int n = 0;
  do digits[n++] = (char)('0' + fd % 10);
  while ((fd /= 10) > 0 && n < (int)sizeof digits);
  memcpy(buf, prefix, sizeof prefix - 1);
  char *p = buf + sizeof prefix - 1;
  while (n > 0) *p++ = digits[--n];
  *p = '\0';
  return buf;
}

/* path itself, or, in the root, the fd path of where it resolves to (*fd is to be closed). */
static const char *at_path(const char *path, int in_root, int *fd, char *buf) {
  *fd = -1;
  if (!in_root || !path) return path;
  *fd = open_path(path, 0, 1);
  return *fd < 0 ? NULL : fd_path(buf, *fd);
}

/* Split path into its parent (in buf) and last component; trailing slashes are not expected. */
static const char *split_parent(const char *path, char *buf, size_t size, const char **base, int in_root) {
  size_t len = strlen(path);
  if (len >= size) {
    errno = ENAMETOOLONG;
    return NULL;
  }
  memcpy(buf, path, len + 1);
  char *slash = strrchr(buf, '/');
  if (!slash) {
    *base = path;
    return in_root ? "/" : ".";
  }
  *base = path + (slash - buf) + 1;
  if (slash == buf) slash[1] = '\0';
  else *slash = '\0';
  return buf;
}

static int mkdirp(const char *path, mode_t mode, int in_root) {
  char buf[4096];
  size_t len = strlen(path);
  if (len >= sizeof buf) {
    errno = ENAMETOOLONG;
    return -1;
  }
  memcpy(buf, path, len + 1);
  size_t i = 0;
  while (buf[i] == '/') i++;
  while (buf[i]) {
    size_t end = i;
    while (buf[end] && buf[end] != '/') end++;
    char saved = buf[end];
    buf[end] = '\0';
    int fd = open_path(buf, O_DIRECTORY, in_root);
    if (fd < 0) {
      if (errno != ENOENT) return -1;
      char first = buf[i];
      buf[i] = '\0';
      int parent = open_path(i ? buf : (in_root ? "/" : "."), O_DIRECTORY, in_root);
      buf[i] = first;
      if (parent < 0) return -1;
      int r = mkdirat(parent, buf + i, mode);
      close_keep_errno(parent);
      if (r < 0 && errno != EEXIST) return -1;
      fd = open_path(buf, O_DIRECTORY, in_root);
      if (fd < 0) return -1;
    }
    close(fd);
    buf[end] = saved;
    i = end;
    while (buf[i] == '/') i++;
  }
  return 0;
}

/* data written to the file at path, which must exist: a sysctl's /proc/sys file takes it in one write. */
static int write_file(const char *path, const char *data, int in_root) {
  int at = open_path(path, 0, in_root);
  if (at < 0) return -1;
  char buf[32];
  /* an O_PATH fd cannot be written: the file it found is opened again through it */
  int fd = open(fd_path(buf, at), O_WRONLY | O_CLOEXEC);
  close_keep_errno(at);
  if (fd < 0) return -1;
  size_t len = strlen(data);
  ssize_t n = write(fd, data, len);
  close_keep_errno(fd);
  if (n < 0) return -1;
  if ((size_t)n != len) {
    errno = EIO;
    return -1;
  }
  return 0;
}

/* An empty file as a bind-mount target; whatever exists at path already is left alone. A
 * dangling symlink is not followed out of the root: O_EXCL|O_NOFOLLOW makes it fail. */
static int touch(const char *path, mode_t mode, int in_root) {
  int fd = open_path(path, 0, in_root);
  if (fd >= 0) {
    close(fd);
    return 0;
  }
  if (errno != ENOENT) return -1;
  char buf[4096];
  const char *base;
  const char *parent_path = split_parent(path, buf, sizeof buf, &base, in_root);
  if (!parent_path) return -1;
  int parent = open_path(parent_path, O_DIRECTORY, in_root);
  if (parent < 0) return -1;
  fd = openat(parent, base, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, (mode_t)mode);
  close_keep_errno(parent);
  if (fd < 0) return -1;
  close(fd);
  return 0;
}

static int make_symlink(const char *target, const char *path, int in_root) {
  if (!in_root) return symlink(target, path);
  char buf[4096];
  const char *base;
  const char *parent_path = split_parent(path, buf, sizeof buf, &base, 1);
  if (!parent_path) return -1;
  int parent = open_path(parent_path, O_DIRECTORY, 1);
  if (parent < 0) return -1;
  int r = symlinkat(target, parent, base);
  close_keep_errno(parent);
  return r;
}

/* A remount inside a user namespace must repeat the flags the kernel locked on the mount when
 * the namespace was created (nosuid, nodev, noexec, rdonly, atime), or it fails with EPERM. */
static unsigned long locked_flags(const char *target, unsigned long flags) {
  struct statfs st;
  if (statfs(target, &st) < 0) return flags;
  if (st.f_flags & ST_NOSUID) flags |= MS_NOSUID;
  if (st.f_flags & ST_NODEV) flags |= MS_NODEV;
  if (st.f_flags & ST_NOEXEC) flags |= MS_NOEXEC;
  if (st.f_flags & ST_RDONLY) flags |= MS_RDONLY;
  if (!(flags & (MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME))) {
    if (st.f_flags & ST_NOATIME) flags |= MS_NOATIME;
    if (st.f_flags & ST_NODIRATIME) flags |= MS_NODIRATIME;
    if (st.f_flags & ST_RELATIME) flags |= MS_RELATIME;
    if (!(st.f_flags & (ST_NOATIME | ST_RELATIME))) flags |= MS_STRICTATIME;
  }
  return flags;
}

/* ---- tmpcopyup: the dir's content, copied into the tmpfs mounted over it (as crun does) ---- */

static int copy_tree(int from, int to);

static int copy_file_data(int from, const char *name, int to, const struct stat *st) {
  int in = openat(from, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (in < 0) return -1;
  int out = openat(to, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, st->st_mode & 07777);
  if (out < 0) {
    close_keep_errno(in);
    return -1;
  }
  char buf[65536];
  ssize_t n;
  int r = 0;
  while ((n = read(in, buf, sizeof buf)) != 0) {
    if (n < 0) {
      if (errno == EINTR) continue;
      r = -1;
      break;
    }
    for (ssize_t done = 0; done < n;) {
      ssize_t w = write(out, buf + done, (size_t)(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        r = -1;
        break;
      }
      done += w;
    }
    if (r < 0) break;
  }
  close_keep_errno(in);
  close_keep_errno(out);
  return r;
}

/* One entry of from into to: owner, mode and times kept; a special file is made again. */
static int copy_entry(int from, const char *name, int to) {
  struct stat st;
  if (fstatat(from, name, &st, AT_SYMLINK_NOFOLLOW) < 0) return -1;
  if (S_ISDIR(st.st_mode)) {
    if (mkdirat(to, name, st.st_mode & 07777) < 0) return -1;
    int sub_from = openat(from, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sub_from < 0) return -1;
    int sub_to = openat(to, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sub_to < 0) {
      close_keep_errno(sub_from);
      return -1;
    }
    int r = copy_tree(sub_from, sub_to);
    close_keep_errno(sub_from);
    close_keep_errno(sub_to);
    if (r < 0) return -1;
  } else if (S_ISREG(st.st_mode)) {
    if (copy_file_data(from, name, to, &st) < 0) return -1;
  } else if (S_ISLNK(st.st_mode)) {
    char target[4096];
    ssize_t len = readlinkat(from, name, target, sizeof target - 1);
    if (len < 0) return -1;
    target[len] = '\0';
    if (symlinkat(target, to, name) < 0) return -1;
  } else if (mknodat(to, name, st.st_mode, st.st_rdev) < 0) {
    return -1;
  }
  if (fchownat(to, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0 && errno != EINVAL) return -1;
  if (!S_ISLNK(st.st_mode) && fchmodat(to, name, st.st_mode & 07777, 0) < 0) return -1;
  struct timespec times[2] = {st.st_atim, st.st_mtim};
  utimensat(to, name, times, AT_SYMLINK_NOFOLLOW);
  return 0;
}

/* Takes ownership of neither fd: a dup is read, so from stays open for the caller. */
static int copy_tree(int from, int to) {
  int listing = dup(from);
  if (listing < 0) return -1;
  DIR *dir = fdopendir(listing);
  if (!dir) {
    close_keep_errno(listing);
    return -1;
  }
  int r = 0;
  struct dirent *entry;
  errno = 0;
  while ((entry = readdir(dir)) != NULL) {
    if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
    if (copy_entry(from, entry->d_name, to) < 0) {
      r = -1;
      break;
    }
  }
  if (r == 0 && errno != 0 && entry == NULL) r = -1;
  int saved = errno;
  closedir(dir);
  errno = saved;
  return r;
}

/* The mount root keeps its own owner and mode (1777 unless mode= says otherwise), as crun's
 * tmpcopyup leaves it. The path is resolved again: it reaches the new mount now, which the fds
 * taken before it do not. */
static int copy_up(int from, const char *path, int in_root) {
  int at = open_path(path, O_DIRECTORY, in_root);
  if (at < 0) return -1;
  int to = openat(at, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  close_keep_errno(at);
  if (to < 0) return -1;
  int r = copy_tree(from, to);
  close_keep_errno(to);
  return r;
}

static int do_mount(const struct tspod_step *s) {
  char target_buf[32], source_buf[32];
  int target_fd, source_fd;
  const char *target = at_path(s->path, s->opts & TSPOD_OPT_IN_ROOT, &target_fd, target_buf);
  if (!target) return -1;
  const char *source = at_path(s->source, s->opts & TSPOD_OPT_SOURCE_IN_ROOT, &source_fd, source_buf);
  /* the dir as it is before the mount hides it: read through this fd afterwards */
  int below = -1;
  if ((s->opts & TSPOD_OPT_COPY_UP) && (below = open(target, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
    close_keep_errno(source_fd);
    close_keep_errno(target_fd);
    return -1;
  }
  int r = -1;
  if (source || !s->source) {
    unsigned long flags = s->flags;
    if (s->opts & TSPOD_OPT_KEEP_LOCKED) flags = locked_flags(target, flags);
    r = mount(source, target, s->fstype, flags, s->data);
  }
  /* the new mount is reached by the path again: the O_PATH fd still names the dir below it */
  if (r == 0 && below >= 0) r = copy_up(below, s->path, s->opts & TSPOD_OPT_IN_ROOT);
  close_keep_errno(below);
  close_keep_errno(source_fd);
  close_keep_errno(target_fd);
  return r;
}

static int do_umount(const struct tspod_step *s, int flags) {
  char buf[32];
  int fd;
  const char *target = at_path(s->path, s->opts & TSPOD_OPT_IN_ROOT, &fd, buf);
  if (!target) return -1;
  int r = umount2(target, flags);
  close_keep_errno(fd);
  return r;
}

/* ---- credentials ---------------------------------------------------------------------------- */

static int set_caps_data(const unsigned long long *sets) {
  struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2];
  for (int i = 0; i < 2; i++) {
    data[i].effective = (__u32)(sets[TSPOD_CAPS_EFFECTIVE] >> (32 * i));
    data[i].permitted = (__u32)(sets[TSPOD_CAPS_PERMITTED] >> (32 * i));
    data[i].inheritable = (__u32)(sets[TSPOD_CAPS_INHERITABLE] >> (32 * i));
  }
  return (int)syscall(SYS_capset, &header, data);
}

static int set_caps(const struct tspod_step *s) {
  /* After a switch to a non-zero uid only the permitted set survives (PR_SET_KEEPCAPS): make it
   * effective again, so that CAP_SETPCAP allows the bounding-set drops. */
  struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2];
  if (syscall(SYS_capget, &header, data) < 0) return -1;
  data[0].effective = data[0].permitted;
  data[1].effective = data[1].permitted;
  if (syscall(SYS_capset, &header, data) < 0) return -1;

  for (int cap = 0; cap < 64; cap++) {
    if (s->caps[TSPOD_CAPS_BOUNDING] & (1ULL << cap)) continue;
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) return -1; /* EINVAL: past the last cap */
  }
  if (set_caps_data(s->caps) < 0) return -1;
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) return -1;
  for (int cap = 0; cap < 64; cap++)
    if ((s->caps[TSPOD_CAPS_AMBIENT] & (1ULL << cap)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
      return -1;
  return 0;
}

/* ---- the step runner ------------------------------------------------------------------------ */

/* The conditions a step may carry: returns STEP_SKIPPED, 0 to run it, or -1 with errno. */
static int check_condition(const struct tspod_step *s) {
  unsigned int conditions = TSPOD_OPT_OPTIONAL | TSPOD_OPT_ONLY_DIR | TSPOD_OPT_ONLY_NONDIR;
  if (!(s->opts & conditions)) return 0;
  struct stat st;
  int r;
  if (s->opts & TSPOD_OPT_IN_ROOT) {
    int fd = open_path(s->path, 0, 1);
    r = fd < 0 ? -1 : fstat(fd, &st);
    close_keep_errno(fd);
  } else {
    r = stat(s->path, &st);
  }
  if (r < 0) return errno == ENOENT && (s->opts & TSPOD_OPT_OPTIONAL) ? STEP_SKIPPED : -1;
  if ((s->opts & TSPOD_OPT_ONLY_DIR) && !S_ISDIR(st.st_mode)) return STEP_SKIPPED;
  if ((s->opts & TSPOD_OPT_ONLY_NONDIR) && S_ISDIR(st.st_mode)) return STEP_SKIPPED;
  return 0;
}

/* The console socket of the plan being run (set once in tspod_child_run). */
static int plan_console_fd = -1;

/* Send one fd over a unix socket (SCM_RIGHTS). */
static int send_fd(int sock, int fd) {
  char byte = 'c';
  struct iovec iov = {&byte, 1};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } control;
  memset(&control, 0, sizeof control);
  struct msghdr msg;
  memset(&msg, 0, sizeof msg);
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.buf;
  msg.msg_controllen = sizeof control.buf;
  struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
  ssize_t n;
  do n = sendmsg(sock, &msg, 0);
  while (n < 0 && errno == EINTR);
  return n == 1 ? 0 : -1;
}

/* A terminal from the container's own devpts (after pivot_root, so /dev/ptmx is the
 * container's): the slave becomes stdin/stdout/stderr and the controlling terminal of this
 * session (a setsid step must come first); the master goes to the parent, as crun's console
 * socket does. The window size (process.consoleSize) is set before the program can ask for it. */
static int open_console(int sock, unsigned short rows, unsigned short cols) {
  if (sock < 0) {
    errno = EBADF;
    return -1;
  }
  int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) return -1;
  int unlock = 0;
  if (ioctl(master, TIOCSPTLCK, &unlock) < 0) return -1;
  int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
  if (slave < 0) return -1;
  if (rows || cols) {
    struct winsize size;
    memset(&size, 0, sizeof size);
    size.ws_row = rows;
    size.ws_col = cols;
    if (ioctl(master, TIOCSWINSZ, &size) < 0) return -1;
  }
  if (ioctl(slave, TIOCSCTTY, 0) < 0) return -1;
  for (int i = 0; i < 3; i++)
    if (dup2(slave, i) < 0) return -1;
  if (slave > 2) close(slave);
  if (send_fd(sock, master) < 0) return -1;
  close(master);
  close(sock);
  return 0;
}

/* The loopback interface of a new network namespace starts down; bring it up as crun does. */
static int loopback_up(void) {
  int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0) return -1;
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  tspod_copy_str(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
  int r = ioctl(sock, SIOCGIFFLAGS, &ifr);
  if (r == 0 && !(ifr.ifr_flags & IFF_UP)) {
    ifr.ifr_flags |= IFF_UP;
    r = ioctl(sock, SIOCSIFFLAGS, &ifr);
  }
  close_keep_errno(sock);
  return r;
}

/* ---- a user namespace below the child's ------------------------------------------------------ */

static int read_full(int fd, void *buf, size_t size) {
  ssize_t n;
  do n = read(fd, buf, size);
  while (n < 0 && errno == EINTR);
  return n == (ssize_t)size ? 0 : -1;
}

/* Write one id map of process pid (its /proc, the child's own after pivot_root) in one write. */
static int write_id_map(pid_t pid, const char *file, const char *text) {
  char path[64];
  static const char prefix[] = "/proc/";
  char digits[16];
  int n = 0;
  unsigned int v = (unsigned int)pid;
  do digits[n++] = (char)('0' + v % 10);
  while ((v /= 10) > 0 && n < (int)sizeof digits);
  char *p = path;
  memcpy(p, prefix, sizeof prefix - 1);
  p += sizeof prefix - 1;
  while (n > 0) *p++ = digits[--n];
  *p++ = '/';
  size_t flen = strlen(file);
  memcpy(p, file, flen + 1);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  size_t len = strlen(text);
  ssize_t w = write(fd, text, len);
  int err = w == (ssize_t)len ? 0 : (w < 0 ? errno : EIO);
  close(fd);
  return err;
}

/* The maps of a user namespace must be written from its parent namespace by a process holding
 * CAP_SETUID/CAP_SETGID there: a helper forked before the unshare stays behind to write them
 * (writing gid_map with CAP_SETGID leaves setgroups allowed). */
static int nest_userns(const struct tspod_step *s) {
  int go[2], done[2];
  if (pipe2(go, O_CLOEXEC) < 0) return -1;
  if (pipe2(done, O_CLOEXEC) < 0) {
    close_keep_errno(go[0]);
    close_keep_errno(go[1]);
    return -1;
  }
  pid_t self = (pid_t)syscall(SYS_getpid);
  /* /proc/<pid> of a non-dumpable process is real root's, whom the helper cannot pass for: the
   * child is dumpable while the helper writes (no process of the container exists yet) */
  prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
  long helper = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
  if (helper < 0) {
    int err = errno;
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    close(go[0]), close(go[1]), close(done[0]), close(done[1]);
    errno = err;
    return -1;
  }
  if (helper == 0) {
    close(go[1]);
    close(done[0]);
    char byte;
    if (read_full(go[0], &byte, 1) < 0) _exit(EXIT_CHILD_FAILED);
    int err = write_id_map(self, "uid_map", s->source);
    if (!err) err = write_id_map(self, "gid_map", s->data);
    tspod_write_all(done[1], (const char *)&err, sizeof err);
    _exit(0);
  }
  close(go[0]);
  close(done[1]);
  int err = unshare(CLONE_NEWUSER) < 0 ? errno : 0;
  if (!err) tspod_write_all(go[1], "g", 1);
  close(go[1]); /* on failure the helper reads EOF and exits */
  int helper_err = EIO;
  if (read_full(done[0], &helper_err, sizeof helper_err) < 0 && !err) err = EIO;
  close(done[0]);
  while (waitpid((pid_t)helper, NULL, 0) < 0 && errno == EINTR) {}
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  if (!err) err = helper_err;
  if (err) {
    errno = err;
    return -1;
  }
  return 0;
}

static int run_step(const struct tspod_step *s) {
  int in_root = (s->opts & TSPOD_OPT_IN_ROOT) != 0;
  int condition = check_condition(s);
  if (condition != 0) return condition;
  switch (s->kind) {
  case TSPOD_STEP_MOUNT:
    return do_mount(s);
  case TSPOD_STEP_UMOUNT:
    return do_umount(s, (int)s->flags);
  case TSPOD_STEP_UMOUNT_DETACH:
    return do_umount(s, MNT_DETACH);
  case TSPOD_STEP_MKDIR:
    if (mkdir(s->path, (mode_t)s->mode) < 0 && errno != EEXIST) return -1;
    return 0;
  case TSPOD_STEP_MKDIRP:
    return mkdirp(s->path, (mode_t)s->mode, in_root);
  case TSPOD_STEP_TOUCH:
    return touch(s->path, (mode_t)s->mode, in_root);
  case TSPOD_STEP_MKNOD:
    return mknod(s->path, (mode_t)s->mode, (dev_t)s->dev);
  case TSPOD_STEP_SETXATTR:
    return lsetxattr(s->path, s->fstype, s->source, strlen(s->source), 0);
  case TSPOD_STEP_SYMLINK:
    return make_symlink(s->source, s->path, in_root);
  case TSPOD_STEP_CHDIR:
    return chdir(s->path);
  case TSPOD_STEP_PIVOT_ROOT:
    return (int)syscall(SYS_pivot_root, s->path, s->source);
  case TSPOD_STEP_SETHOSTNAME:
    return sethostname(s->path, strlen(s->path));
  case TSPOD_STEP_SETGROUPS:
    if (s->keep_groups) return 0;
    return (int)syscall(SYS_setgroups, s->nids, s->ids);
  case TSPOD_STEP_SETRESGID:
    return (int)syscall(SYS_setresgid, s->id, s->id, s->id);
  case TSPOD_STEP_SETRESUID:
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) return -1;
    return (int)syscall(SYS_setresuid, s->id, s->id, s->id);
  case TSPOD_STEP_UMASK:
    umask((mode_t)s->mode);
    return 0;
  case TSPOD_STEP_RLIMIT: {
    struct rlimit limit = {(rlim_t)s->soft, (rlim_t)s->hard};
    return setrlimit(s->resource, &limit);
  }
  case TSPOD_STEP_CAPS:
    return set_caps(s);
  case TSPOD_STEP_NO_NEW_PRIVS:
    return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  case TSPOD_STEP_SETSID:
    return setsid() < 0 ? -1 : 0;
  case TSPOD_STEP_CONSOLE:
    return open_console(plan_console_fd, s->rows, s->cols);
  case TSPOD_STEP_LOOPBACK_UP:
    return loopback_up();
  case TSPOD_STEP_NEST_USERNS:
    return nest_userns(s);
  case TSPOD_STEP_WRITE:
    return write_file(s->path, s->data, in_root);
  case TSPOD_STEP_SECCOMP: {
    /* no no_new_privs needed: the child still holds CAP_SYS_ADMIN in its user namespace */
    struct sock_fprog prog = {(unsigned short)(s->filter_len / sizeof(struct sock_filter)), (struct sock_filter *)s->filter};
    return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, (unsigned int)s->flags, &prog);
  }
  }
  errno = EINVAL;
  return -1;
}

/* The hold step's check that the program can be found, as crun finds it while it creates a
 * container (`init`) rather than when it starts it: only what the exec could never find (no
 * such absolute path, nothing of that name in $PATH) fails here; the exec reports the rest. */
static int program_exists(const struct tspod_plan *plan) {
  struct stat st;
  const char *file = plan->file;
  if (!file) return 1;
  if (strchr(file, '/')) return file[0] != '/' || stat(file, &st) == 0 || errno != ENOENT;
  const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  for (char *const *e = plan->envp; e && *e; e++)
    if (strncmp(*e, "PATH=", 5) == 0) path = *e + 5;
  char candidate[4096];
  size_t flen = strlen(file);
  for (const char *p = path;;) {
    const char *end = strchr(p, ':');
    size_t dlen = end ? (size_t)(end - p) : strlen(p);
    if (dlen > 0 && dlen + flen + 2 <= sizeof candidate) {
      memcpy(candidate, p, dlen);
      candidate[dlen] = '/';
      memcpy(candidate + dlen + 1, file, flen + 1);
      int found = stat(candidate, &st);
      if (found == 0 && !S_ISDIR(st.st_mode)) return 1;
      if (found < 0 && errno != ENOENT && errno != ENOTDIR) return 1; /* the exec says what */
    } else if (dlen == 0) {
      return 1; /* an empty entry is the working directory, not set yet: the exec looks */
    }
    if (!end) return 0;
    p = end + 1;
  }
}

static int has_wait_step(const struct tspod_plan *plan) {
  for (size_t i = 0; i < plan->nsteps; i++)
    if (plan->steps[i].kind == TSPOD_STEP_WAIT_RELEASE) return 1;
  return 0;
}

static void run_steps(const struct tspod_plan *plan) {
  for (size_t i = 0; i < plan->nsteps; i++) {
    const struct tspod_step *s = &plan->steps[i];
    if (s->kind == TSPOD_STEP_WAIT_RELEASE) {
      wait_for_release(plan);
      prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
      continue;
    }
    if (s->kind == TSPOD_STEP_HOLD) {
      if (!program_exists(plan)) fail(plan, ENOENT, "exec", plan->file);
      tspod_write_all(plan->sync_fd, "h", 1);
      wait_for_release(plan);
      continue;
    }
    if (run_step(s) < 0) {
      if (s->fallback_errno && errno == s->fallback_errno) continue; /* run the alternative steps */
      fail(plan, errno, s->name, s->path);
    }
    i += s->fallback_steps; /* done (or skipped): the alternative is not needed */
  }
}

/* Node opens its own 0, 1 and 2 close-on-exec, so an inherited one must be cleared explicitly. */
static void clear_cloexec(int fd) {
  int flags = fcntl(fd, F_GETFD);
  if (flags >= 0 && (flags & FD_CLOEXEC)) fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
}

static void install_stdio(const struct tspod_plan *plan) {
  for (int i = 0; i < 3; i++) {
    int fd = plan->stdio[i];
    if (fd < 0) {
      clear_cloexec(i);
      continue;
    }
    if (fd == i) {
      clear_cloexec(fd);
    } else if (dup2(fd, i) < 0) {
      fail(plan, errno, "stdio", "dup2");
    }
  }
}

/* ---- working directory and exec ------------------------------------------------------------ */

/* Is path a way through a /proc magic link (/proc/self/fd/N, /proc/<pid>/cwd...)? Asked once
 * openat2 refused it with ELOOP under RESOLVE_NO_MAGICLINKS, to tell that from a symlink loop:
 * an O_PATH open follows the link but neither reads it nor moves into it. */
static int through_magic_link(const char *path) {
  int fd = open(path, O_PATH | O_CLOEXEC);
  if (fd < 0) return 0;
  close(fd);
  return 1;
}

/* The container's working directory, entered without /proc magic links: a leaked fd of a host
 * directory (CVE-2024-21626) or /proc/<pid>/cwd of a process outside would put the program's
 * cwd outside its root. The kernel's getcwd then starts with "(unreachable)": refuse that too,
 * as runc and crun do. */
static void enter_cwd(const struct tspod_plan *plan) {
  struct open_how how;
  memset(&how, 0, sizeof how);
  how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
  how.resolve = RESOLVE_NO_MAGICLINKS;
  int fd = (int)syscall(SYS_openat2, AT_FDCWD, plan->cwd, &how, sizeof how);
  if (fd < 0) {
    int err = errno;
    if (err == ELOOP && through_magic_link(plan->cwd)) fail(plan, err, "chdir-magic-link", plan->cwd);
    fail(plan, err, "chdir", plan->cwd);
  }
  if (fchdir(fd) < 0) fail(plan, errno, "chdir", plan->cwd);
  close(fd);
  char cwd[4096];
  if (syscall(SYS_getcwd, cwd, sizeof cwd) < 0) fail(plan, errno, "chdir", plan->cwd);
  if (cwd[0] != '/') fail(plan, EXDEV, "chdir-outside-root", plan->cwd);
}

/* The child's last act: execute the exec helper from its sealed memfd, which looks the program
 * up and executes it, reporting a failure on the sync socket as the steps do. Until this
 * execveat the process is Node (non-dumpable); from it on, /proc/<pid>/exe is the sealed memfd,
 * which no one can write, and then the container's own program. */
static void exec_through_helper(const struct tspod_plan *plan) {
  /* the helper reports on the sync socket, and marks it close-on-exec again */
  int flags = fcntl(plan->sync_fd, F_GETFD);
  if (flags < 0 || fcntl(plan->sync_fd, F_SETFD, flags & ~FD_CLOEXEC) < 0) fail(plan, errno, "exec helper", "");
  syscall(SYS_execveat, plan->exec_fd, "", plan->exec_argv, plan->envp, AT_EMPTY_PATH);
  fail(plan, errno, "exec helper", "");
}

/* ---- join mode ------------------------------------------------------------------------------ */

/* The user namespace that owns some of the other joined namespaces, when it is the parent of the
 * joined one (a container whose user namespace was nested below them, by nest_userns or by crun
 * with keep-id, which may own its mount namespace below it): an fd to enter first, or -1. */
static int owner_of_joined(const struct tspod_plan *plan) {
  if (plan->njoins < 2 || plan->joins[0].nstype != CLONE_NEWUSER) return -1;
  int parent = ioctl(plan->joins[0].fd, NS_GET_PARENT);
  if (parent < 0) return -1;
  struct stat p;
  if (fstat(parent, &p) < 0) {
    close(parent);
    return -1;
  }
  for (size_t i = 1; i < plan->njoins; i++) {
    int owner = ioctl(plan->joins[i].fd, NS_GET_USERNS);
    if (owner < 0) continue;
    struct stat o;
    int same = fstat(owner, &o) == 0 && o.st_ino == p.st_ino && o.st_dev == p.st_dev;
    close(owner);
    if (same) return parent;
  }
  close(parent);
  return -1;
}

static void join_namespaces(const struct tspod_plan *plan) {
  /* the others are entered from their owner, the nested user namespace last */
  int owner = owner_of_joined(plan);
  if (owner >= 0 && setns(owner, CLONE_NEWUSER) < 0) fail(plan, errno, "setns", plan->joins[0].path);
  if (owner >= 0) close(owner);
  for (size_t n = 0; n < plan->njoins; n++) {
    size_t i = owner < 0 ? n : (n + 1) % plan->njoins;
    const struct tspod_join *j = &plan->joins[i];
    if (setns(j->fd, j->nstype) < 0) fail(plan, errno, "setns", j->path);
    close(j->fd);
  }
  int flags = plan->unshare_flags & ~CLONE_NEWPID;
  if (flags && unshare(flags) < 0) fail(plan, errno, "unshare", "the container's namespaces");
}

/* What the intermediate process of a pid-namespace join passes on to the program: every signal
 * meant for the process rather than raised by a fault (SIGCHLD is its own). */
static void forwarded_signals(sigset_t *set) {
  static const int signals[] = {SIGHUP,  SIGINT,  SIGQUIT, SIGUSR1, SIGUSR2,   SIGPIPE, SIGALRM,  SIGTERM, SIGCONT,
                                SIGTSTP, SIGTTIN, SIGTTOU, SIGURG,  SIGXCPU,   SIGXFSZ, SIGVTALRM, SIGPROF, SIGWINCH,
                                SIGIO,   SIGPWR};
  sigemptyset(set);
  for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) sigaddset(set, signals[i]);
  for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++) sigaddset(set, sig);
}

static volatile pid_t forward_to;

/* A signal the terminal raised (SI_KERNEL: Ctrl-C, Ctrl-\, a hangup) went to the whole
 * foreground process group, the program included: passing it on would deliver it twice. */
static void forward_signal(int sig, siginfo_t *info, void *context) {
  (void)context;
  int saved = errno;
  if (forward_to > 0 && info->si_code != SI_KERNEL) kill(forward_to, sig);
  errno = saved;
}

static void close_range_or_loop(unsigned int first, unsigned int last) {
  if (first > last) return;
  if (syscall(SYS_close_range, first, last, 0) == 0) return;
  struct rlimit limit;
  unsigned int end = getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < last ? (unsigned int)limit.rlim_cur : last;
  for (unsigned int fd = first; fd < end; fd++) close((int)fd);
}

/* Exit the way the program did: with its code, or killed by the same signal, so that whoever
 * waits for this process sees what the program did. */
static void exit_like(int status) __attribute__((noreturn));
static void exit_like(int status) {
  if (WIFEXITED(status)) _exit(WEXITSTATUS(status));
  int sig = WTERMSIG(status);
  /* the program's core dump is the program's; this process must not leave one */
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  struct rlimit none = {0, 0};
  setrlimit(RLIMIT_CORE, &none);
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigaction(sig, &dfl, NULL);
  sigset_t only;
  sigemptyset(&only);
  sigaddset(&only, sig);
  sigprocmask(SIG_UNBLOCK, &only, NULL);
  /* not raise(): glibc's idea of this thread's id is the Node thread's it was cloned from */
  syscall(SYS_kill, syscall(SYS_getpid), sig);
  _exit(128 + sig);
}

/* The intermediate process: hold nothing of Node's (an inherited pipe end would keep a stdin
 * from ever reaching EOF, the sync socket would hide the exec), pass signals on to the program,
 * and exit like it. keep_fd stays open: while it does, the program knows this process lives. */
static void supervise(pid_t program, int keep_fd) __attribute__((noreturn));
static void supervise(pid_t program, int keep_fd) {
  if (keep_fd > 0) close_range_or_loop(0, (unsigned int)keep_fd - 1);
  close_range_or_loop(keep_fd < 0 ? 0 : (unsigned int)keep_fd + 1, ~0U);

  sigset_t forwarded;
  forwarded_signals(&forwarded);
  forward_to = program;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = forward_signal;
  sa.sa_flags = SA_RESTART | SA_SIGINFO;
  for (int sig = 1; sig < NSIG; sig++)
    if (sigismember(&forwarded, sig) == 1) sigaction(sig, &sa, NULL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL); /* signals that came since clone are forwarded now */

  /* Stop forwarding before reaping: until then the pid cannot be reused. */
  siginfo_t info;
  while (waitid(P_PID, (id_t)program, &info, WEXITED | WNOWAIT) < 0)
    if (errno != EINTR) _exit(EXIT_CHILD_FAILED);
  sigprocmask(SIG_BLOCK, &forwarded, NULL);
  forward_to = 0;
  int status;
  while (waitpid(program, &status, 0) < 0)
    if (errno != EINTR) _exit(EXIT_CHILD_FAILED);
  exit_like(status);
}

/* The read end of a pipe whose only writer is the intermediate process: POLLHUP once it died. */
static int intermediate_alive_fd = -1;

static int intermediate_died(void) {
  if (intermediate_alive_fd < 0) return 0;
  struct pollfd pfd = {intermediate_alive_fd, POLLIN, 0};
  return poll(&pfd, 1, 0) != 0;
}

/* setns(CLONE_NEWPID) only places the children of this process in the namespace: fork once
 * more. Returns in the new process (the program's); this one supervises it. */
static void fork_into_pid_namespace(const struct tspod_plan *plan) {
  int alive[2] = {-1, -1};
  if (plan->die_with_parent && pipe2(alive, O_CLOEXEC) < 0) fail(plan, errno, "pipe2", "");
  long pid = syscall(SYS_clone, (unsigned long)(plan->unshare_flags & CLONE_NEWPID) | SIGCHLD, 0, 0, 0, 0);
  if (pid < 0) fail(plan, errno, "fork into the pid namespace", "");
  if (pid > 0) supervise((pid_t)pid, alive[1]);
  if (plan->die_with_parent) {
    close(alive[1]);
    intermediate_alive_fd = alive[0];
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (intermediate_died()) _exit(EXIT_CHILD_FAILED);
  } else if (plan->unshare_flags & CLONE_NEWPID) {
    /* the init of a pid namespace made here: it ends with the process that waits for it */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Every fd above stdio the child does not need is closed: the Node process's store database
 * (tspod.db, -wal, -shm), sockets and pipes would otherwise be open in a process a container can
 * reach through /proc/<pid>/fd. Those it needs (sync and console sockets, the stdio to install,
 * the namespace files to join, the exec helper's memfd) are marked close-on-exec. The caller's
 * fds asked for with --preserve-fds (3 .. 3+preserve_fds-1) are left as they are. */
static void close_unneeded_fds(const struct tspod_plan *plan) {
  int keep[8 + 8];
  size_t n = 0;
  keep[n++] = plan->sync_fd;
  keep[n++] = plan->console_fd;
  keep[n++] = plan->exec_fd;
  for (int i = 0; i < 3; i++) keep[n++] = plan->stdio[i];
  for (size_t i = 0; i < plan->njoins && n < sizeof keep / sizeof keep[0]; i++) keep[n++] = plan->joins[i].fd;
  for (size_t i = 1; i < n; i++) /* insertion sort: a handful of fds */
    for (size_t j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
      int t = keep[j];
      keep[j] = keep[j - 1];
      keep[j - 1] = t;
    }
  unsigned int first = 3 + (unsigned int)(plan->preserve_fds > 0 ? plan->preserve_fds : 0);
  unsigned int next = first;
  for (size_t i = 0; i < n; i++) {
    if (keep[i] < (int)next) continue;
    close_range_or_loop(next, (unsigned int)keep[i] - 1);
    next = (unsigned int)keep[i] + 1;
  }
  close_range_or_loop(next, ~0U);
  if (syscall(SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
    for (size_t i = 0; i < n; i++)
      if (keep[i] >= (int)first) fcntl(keep[i], F_SETFD, FD_CLOEXEC);
  for (unsigned int fd = 3; fd < first; fd++) clear_cloexec((int)fd);
}

void tspod_child_run(const struct tspod_plan *plan) {
  /* First of all: a non-dumpable process's /proc/<pid> files belong to root and ptrace, /proc/<pid>/fd,
   * /proc/<pid>/exe and /proc/<pid>/mem are refused to anyone without CAP_SYS_PTRACE over the
   * Node process's user namespace, container root included. */
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  plan_console_fd = plan->console_fd;
  sigset_t mask;
  sigemptyset(&mask);
  /* keep what the intermediate process will forward pending until it can forward it */
  if (plan->fork_after_join) forwarded_signals(&mask);
  reset_signals(&mask);
  close_unneeded_fds(plan);
  if (plan->die_with_parent) prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (plan->wait_for_release) {
    /* newuidmap and newgidmap refuse a process whose /proc/<pid> is not the user's, and
     * slirp4netns and fuse-overlayfs enter its namespaces through /proc/<pid>/ns: dumpable while
     * the parent does that, as runc does. Nothing of the container can reach the child in this
     * window: it is alone in its new namespaces, its fds are closed already, and it has not run
     * a step yet. */
    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    /* tell the parent it may write the maps now: before this byte /proc/<pid> may still be root's */
    tspod_write_all(plan->sync_fd, "r", 1);
    wait_for_release(plan);
    /* With a wait step the parent still enters the namespaces (slirp4netns) while the steps
     * before it run: those mount and change no credentials (a change of the effective ids would
     * make the child non-dumpable anyway), and no process of the container exists yet. */
    if (!has_wait_step(plan)) prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  }
  join_namespaces(plan);
  if (plan->fork_after_join) fork_into_pid_namespace(plan);

  run_steps(plan);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

  /* a change of the effective uid or gid (setresuid, setresgid steps) clears the parent-death
   * signal: set it again */
  if (plan->die_with_parent) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (intermediate_died()) _exit(EXIT_CHILD_FAILED);
  } else if (plan->unshare_flags & CLONE_NEWPID) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
  }
  install_stdio(plan);
  if (plan->cwd) enter_cwd(plan);
  if (!plan->file) _exit(0);
  exec_through_helper(plan);
  _exit(EXIT_CHILD_FAILED);
}
