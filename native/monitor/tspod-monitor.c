/* tspod-monitor: the small process that watches a detached container, as conmon does for
 * Podman. tspod's CLI starts it in a session of its own; it
 *
 *  - runs a "setup" program (tspod's Node code) that starts the container with its stdout and
 *    stderr on pipes this process reads, records it as running with this process as its
 *    monitor, tells the CLI on fd 3 whether it runs, tells this process on a status socket
 *    which pid is the container, and exits;
 *  - is a child subreaper, so the container (and slirp4netns) become its children then;
 *  - writes the container's output to its log in the k8s-file format, one entry per line
 *    (`<time> <stdout|stderr> <F|P> <content>`; P: the chunk read ended inside a line); with
 *    --log-size-max, an entry that would take the log past that size starts a new, empty log;
 *  - once the container has exited: reads the rest of its output, closes the fd slirp4netns
 *    watches, sends SIGTERM to the helper named by --end-pidfile (pasta, which does not end with
 *    the container's namespaces) and waits for them to exit, writes the exit code to the exit file (from then on
 *    tspod takes the container as exited), and execs the "cleanup" program (tspod's Node code
 *    again) with the exit code as its last argument, which records the exit and removes the
 *    container when it was run with --rm.
 *
 * With --health-interval MS and --health-cmd ARG..., while the container runs, it starts the
 * healthcheck program (`tspod healthcheck run`'s step) every MS milliseconds, in a session of its
 * own, the next an interval after the last one ended: the timer Podman leaves to systemd.
 *
 * If this process is killed the container keeps running, as under conmon.
 *
 * Attach (`tspod attach`, `run -it`, `start -ai`): with --attach-socket PATH this process listens
 * on a unix stream socket there (in the container's private bundle dir) for clients; with
 * --attach-fd, its fd 4 is a client connected from the start (the CLI that starts the container,
 * so that it misses none of its output). Every client gets the container's output, and what a
 * client sends goes to the container's stdin (its terminal, or the -i pipe). Both ways the
 * stream is made of frames: one type byte, the payload's length (4 bytes, big-endian), the payload.
 *   to a client:    'o' stdout bytes, 'e' stderr bytes, 'x' the exit code (decimal text), sent
 *                   once the exit file is written; then the connection is closed
 *   from a client:  'i' stdin bytes; 'c' close the container's stdin (a non-terminal -i
 *                   container: the client's input ended); 'w' the window size (rows, columns:
 *                   2 bytes each, big-endian) of the container's terminal
 * A client that reads too slowly (a send blocked for ATTACH_SEND_TIMEOUT_S) is disconnected,
 * so that it never holds up the container's output or its log.
 *
 * It is installed as `conmon`, the name Podman's monitor has and tools look for (`pgrep conmon`,
 * /proc/<pid>/exe of --conmon-pidfile's pid).
 *
 * Usage: conmon [--dumpable] --log FILE [--log-size-max BYTES] [--timeout SECONDS] [--end-pidfile FILE]
 *               [--stdin-pipe] [--attach-socket PATH] [--attach-fd]
 *               [--health-interval MS --health-cmd ARG [--health-cmd ARG]...]
 *               --exit-file FILE --cleanup ARG [--cleanup ARG]... -- SETUP...
 *
 * The setup program gets: fd 0, 1, 2 /dev/null; fd 3 the CLI's report pipe; fd 4 the read end
 * of the pipe slirp4netns is to watch (--exit-fd); fd 5 and 6 the write ends of the output
 * pipes; fd 7 the status socket. On the status socket the setup program writes
 *   "start <pid> <tty-fd>\n"  the process whose exit is the container's exit, and the fd (in
 *                             the setup process) of the container terminal's master, or -1;
 *                             this process takes a copy of it (pidfd_getfd) and answers one
 *                             byte: '1' (it reads the terminal) or '0' (it could not)
 *   "exit <code>\n"           the setup process saw the container exit itself (it reaped it)
 *   "kill-pid <pid>\n"        the container's init on the host: what --timeout SIGKILLs once its
 *                             seconds have passed (its exit code is then -1, as Podman's)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

enum { ATTACH_FD = 4 }; /* in this process, before the setup process runs */
enum { REPORT_FD = 3, ALIVE_FD = 4, STDOUT_FD = 5, STDERR_FD = 6, STATUS_FD = 7, SETUP_FDS = 8 };
enum { MAX_CLEANUP_ARGS = 32, READ_SIZE = 65536, OUT_SIZE = 65536 };
/* This process's own failure (nobody waits for its status: the CLI reads the report, the record
 * settles from the exit file). Which exit status the CLI gives is src/cli/exit-codes.ts's. */
enum { EXIT_MONITOR_FAILED = 1 };
/* The error class of the monitor's own failures, as src/errors.ts names it. */
static const char ENGINE_ERROR_CLASS[] = "EngineError";
/* How long the output may still come once the container has exited (a pty hands on what was
 * written to it asynchronously; a process outside the container may hold a pipe open). */
static const long DRAIN_MS = 1000;
/* How long slirp4netns may take to exit once its exit fd is closed (it frees the ports). */
static const long REAP_MS = 2000;
/* The exit code of a container whose exit nobody saw (as for a container killed with SIGKILL). */
static const int LOST_EXIT_CODE = 137;

static int report_fd = REPORT_FD;

/* ---- small I/O helpers ---------------------------------------------------------------------- */

static int write_all(int fd, const void *data, size_t len) {
  const char *p = data;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

/* A JSON string body: the message is ours (paths, strerror), but a path may hold anything. */
static void json_escape(char *out, size_t size, const char *in) {
  size_t o = 0;
  for (; *in && o + 7 < size; in++) {
    unsigned char c = (unsigned char)*in;
    if (c == '"' || c == '\\') {
      out[o++] = '\\';
      out[o++] = (char)c;
    } else if (c < 0x20) {
      o += (size_t)snprintf(out + o, size - o, "\\u%04x", c);
    } else {
      out[o++] = (char)c;
    }
  }
  out[o] = '\0';
}

/* Tell the CLI why the container does not run (the MonitorReport of src/runtime/container/detach.ts). */
static void report_failure(const char *what, int err) {
  if (report_fd < 0) return;
  char message[1024], escaped[2048], json[2200];
  if (err)
    snprintf(message, sizeof message, "container monitor: %s: %s", what, strerror(err));
  else
    snprintf(message, sizeof message, "container monitor: %s", what);
  json_escape(escaped, sizeof escaped, message);
  int n = snprintf(json, sizeof json, "{\"ok\":false,\"message\":\"%s\",\"errorClass\":\"%s\"}", escaped, ENGINE_ERROR_CLASS);
  if (n > 0) write_all(report_fd, json, (size_t)n < sizeof json ? (size_t)n : sizeof json - 1);
  close(report_fd);
  report_fd = -1;
}

static void fail(const char *what, int err) __attribute__((noreturn));
static void fail(const char *what, int err) {
  report_failure(what, err);
  _exit(EXIT_MONITOR_FAILED);
}

static void close_from(unsigned int first) {
  if (syscall(SYS_close_range, first, ~0U, 0) == 0) return;
  long max = sysconf(_SC_OPEN_MAX);
  for (long fd = first; fd < (max > 0 ? max : 1024); fd++) close((int)fd);
}

static void set_nonblocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  if (flags >= 0) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* ---- the log ------------------------------------------------------------------------------ */

static const char *log_path;
static const char *end_pidfile;
static int log_fd = -1;
/* --log-size-max: the most bytes the log may hold (0: no limit), and what it holds now. */
static long long log_size_max;
static long long log_size;
static char out_buf[OUT_SIZE];
static size_t out_len;

static void log_write(const char *data, size_t len) {
  if (log_fd >= 0 && write_all(log_fd, data, len) < 0) return; /* a full disk loses output, not the container */
  log_size += (long long)len;
}

static void out_flush(void) {
  if (out_len > 0) log_write(out_buf, out_len);
  out_len = 0;
}

static void out_put(const char *data, size_t len) {
  if (len > sizeof out_buf - out_len) out_flush();
  if (len > sizeof out_buf) {
    log_write(data, len);
    return;
  }
  memcpy(out_buf + out_len, data, len);
  out_len += len;
}

/* The log is full: start it again empty, as conmon does. A new file is renamed over the old one,
 * so that a reader holding the old one (`tspod logs -f`) reads it to its end, then reopens. */
static void log_restart(void) {
  out_flush();
  char tmp[PATH_MAX];
  if (snprintf(tmp, sizeof tmp, "%s.tmp", log_path) >= (int)sizeof tmp) return;
  int fd = open(tmp, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return; /* the log grows on rather than the output being lost */
  if (rename(tmp, log_path) < 0) {
    close(fd);
    unlink(tmp);
    return;
  }
  if (log_fd >= 0) close(log_fd);
  log_fd = fd;
  log_size = 0;
}

/* Local time with nanoseconds and the UTC offset, as Podman writes it:
 * 2026-11-23T11:15:32.123456789+01:00 */
static size_t log_timestamp(char *buf, size_t size) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  localtime_r(&ts.tv_sec, &tm);
  long offset = tm.tm_gmtoff;
  char sign = offset < 0 ? '-' : '+';
  if (offset < 0) offset = -offset;
  int n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%09ld%c%02ld:%02ld", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                   tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec, sign, offset / 3600, (offset % 3600) / 60);
  return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

/* One entry per line of the chunk: F for a complete line, P for the rest after the last newline. */
static void log_chunk(const char *stream, const char *data, size_t len) {
  char time[64];
  size_t time_len = log_timestamp(time, sizeof time);
  size_t stream_len = strlen(stream);
  const char *end = data + len;
  while (data < end) {
    const char *newline = memchr(data, '\n', (size_t)(end - data));
    size_t n = newline ? (size_t)(newline - data) : (size_t)(end - data);
    /* An entry that would take the log past its limit goes first into an empty log (an entry
     * larger than the limit alone, as under conmon; an empty log is not started again). */
    long long entry = (long long)(time_len + 1 + stream_len + 3 + n + 1), held = log_size + (long long)out_len;
    if (log_size_max > 0 && held > 0 && held + entry > log_size_max) log_restart();
    out_put(time, time_len);
    out_put(" ", 1);
    out_put(stream, stream_len);
    out_put(newline ? " F " : " P ", 3);
    out_put(data, n);
    out_put("\n", 1);
    data = newline ? newline + 1 : end;
  }
  out_flush();
}

/* ---- the container's output ----------------------------------------------------------------- */

struct source {
  int fd;
  const char *stream;
};

/* The container's stdout, stderr, and terminal (logged as stdout). */
static struct source sources[3] = {{-1, "stdout"}, {-1, "stderr"}, {-1, "stdout"}};
enum { SRC_STDOUT, SRC_STDERR, SRC_TTY };
/* The terminal's master stays open after a read ended it (EIO): a client may still resize it. */
static int master_fd = -1;
static int tty_master(void) { return master_fd; }

static char read_buf[READ_SIZE];

/* ---- attach clients ------------------------------------------------------------------------- */

enum { MAX_CLIENTS = 16, FRAME_HEADER = 5, CLIENT_BUF = READ_SIZE + FRAME_HEADER, ATTACH_SEND_TIMEOUT_S = 5 };

struct client {
  int fd;
  size_t len; /* bytes of an incomplete frame in buf */
  char buf[CLIENT_BUF];
};

static struct client clients[MAX_CLIENTS];
static int listen_fd = -1;
static const char *attach_socket_path;
/* where client input goes: the -i pipe's write end (a terminal's input goes to its master) */
static int stdin_write_fd = -1;

static void client_close(struct client *c) {
  close(c->fd);
  c->fd = -1;
  c->len = 0;
}

static void client_add(int fd) {
  for (int i = 0; i < MAX_CLIENTS; i++) {
    if (clients[i].fd >= 0) continue;
    struct timeval timeout = {ATTACH_SEND_TIMEOUT_S, 0};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0) fcntl(fd, F_SETFL, flags & ~O_NONBLOCK); /* sends block (for at most the timeout) */
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    clients[i].fd = fd;
    clients[i].len = 0;
    return;
  }
  close(fd); /* too many: it reads EOF */
}

static void client_send(struct client *c, char type, const char *data, size_t len) {
  unsigned char header[FRAME_HEADER] = {(unsigned char)type, (unsigned char)(len >> 24), (unsigned char)(len >> 16), (unsigned char)(len >> 8), (unsigned char)len};
  if (write_all(c->fd, header, sizeof header) < 0 || write_all(c->fd, data, len) < 0) client_close(c);
}

static void broadcast(char type, const char *data, size_t len) {
  for (int i = 0; i < MAX_CLIENTS; i++)
    if (clients[i].fd >= 0) client_send(&clients[i], type, data, len);
}

/* Input for the container; a full terminal or pipe is waited for, a closed one drops it. */
static void to_container(int fd, const char *data, size_t len) {
  while (fd >= 0 && len > 0) {
    ssize_t n = write(fd, data, len);
    if (n > 0) {
      data += n;
      len -= (size_t)n;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      struct pollfd p = {fd, POLLOUT, 0};
      if (poll(&p, 1, 1000) <= 0) return;
    } else if (!(n < 0 && errno == EINTR)) {
      return;
    }
  }
}

static int tty_master(void);

static void client_frame(char type, const unsigned char *payload, size_t len) {
  int master = tty_master();
  if (type == 'i') {
    to_container(master >= 0 ? master : stdin_write_fd, (const char *)payload, len);
  } else if (type == 'c' && master < 0 && stdin_write_fd >= 0) {
    close(stdin_write_fd);
    stdin_write_fd = -1;
  } else if (type == 'w' && len == 4 && master >= 0) {
    struct winsize size = {(unsigned short)(payload[0] << 8 | payload[1]), (unsigned short)(payload[2] << 8 | payload[3]), 0, 0};
    ioctl(master, TIOCSWINSZ, &size);
  }
}

static void client_read(struct client *c) {
  ssize_t n;
  do n = read(c->fd, c->buf + c->len, sizeof c->buf - c->len);
  while (n < 0 && errno == EINTR);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
  if (n <= 0) {
    client_close(c);
    return;
  }
  c->len += (size_t)n;
  size_t at = 0;
  while (c->len - at >= FRAME_HEADER) {
    const unsigned char *h = (const unsigned char *)c->buf + at;
    size_t payload = (size_t)h[1] << 24 | (size_t)h[2] << 16 | (size_t)h[3] << 8 | h[4];
    if (payload > READ_SIZE) {
      client_close(c); /* not a client of this protocol */
      return;
    }
    if (c->len - at < FRAME_HEADER + payload) break;
    client_frame((char)h[0], h + FRAME_HEADER, payload);
    at += FRAME_HEADER + payload;
  }
  memmove(c->buf, c->buf + at, c->len - at);
  c->len -= at;
}

static void accept_clients(void) {
  for (;;) {
    int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR) continue;
      return;
    }
    client_add(fd);
  }
}

/* The socket's path through an open fd of its dir: the bundle dir may be longer than a socket
 * path may be. */
static void listen_attach(void) {
  char *slash = strrchr(attach_socket_path, '/');
  if (!slash) fail("--attach-socket needs an absolute path", 0);
  char dir[PATH_MAX];
  snprintf(dir, sizeof dir, "%.*s", (int)(slash - attach_socket_path), attach_socket_path);
  int dir_fd = open(dir[0] ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) fail("opening the attach socket's dir", errno);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (snprintf(addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/%s", dir_fd, slash + 1) >= (int)sizeof addr.sun_path)
    fail("the attach socket's name is too long", 0);
  unlink(attach_socket_path);
  listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (listen_fd < 0) fail("socket", errno);
  mode_t old = umask(0077);
  int r = bind(listen_fd, (struct sockaddr *)&addr, sizeof addr);
  umask(old);
  if (r < 0 || listen(listen_fd, MAX_CLIENTS) < 0) fail("listening on the attach socket", errno);
  close(dir_fd);
}

/* One read; the source is closed at its end (EIO: a terminal whose other side is all closed).
 * Returns 1 when something was read. */
static int pump(struct source *s) {
  ssize_t n;
  do n = read(s->fd, read_buf, sizeof read_buf);
  while (n < 0 && errno == EINTR);
  if (n > 0) {
    log_chunk(s->stream, read_buf, (size_t)n);
    broadcast(s == &sources[SRC_STDERR] ? 'e' : 'o', read_buf, (size_t)n);
    return 1;
  }
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
  if (s->fd != master_fd) close(s->fd);
  s->fd = -1;
  return 0;
}

/* ---- the setup process ---------------------------------------------------------------------- */

static pid_t setup_pid;
static int setup_reaped;
static int status_fd = -1;
static char status_buf[512];
static size_t status_len;

static pid_t container_pid; /* 0 until the setup process says which it is */
static int container_exited;
static int exit_code;
static pid_t kill_pid;
static long timeout_s;
/* --timeout counts from the program's start (the kill-pid line): an initialized container's
 * process may be held long before it */
static long kill_deadline;

/* A copy of fd above the range the setup process's fds are placed in, so that placing one
 * (dup2, which clears close-on-exec) never overwrites another still to be placed. */
static int above(int fd) {
  int high = fcntl(fd, F_DUPFD_CLOEXEC, 64);
  if (high < 0) _exit(EXIT_MONITOR_FAILED);
  return high;
}

static void run_setup(char **argv, int null_fd, int stdin_read, int alive_read, int out_write, int err_write, int status_child) {
  int from[SETUP_FDS];
  from[1] = above(null_fd);
  from[2] = from[1];
  from[0] = stdin_read >= 0 ? above(stdin_read) : from[1];
  from[REPORT_FD] = report_fd >= 0 ? above(report_fd) : from[0];
  from[ALIVE_FD] = above(alive_read);
  from[STDOUT_FD] = above(out_write);
  from[STDERR_FD] = above(err_write);
  from[STATUS_FD] = above(status_child);
  for (int fd = 0; fd < SETUP_FDS; fd++)
    if (dup2(from[fd], fd) < 0) _exit(EXIT_MONITOR_FAILED);
  close_from(SETUP_FDS);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  signal(SIGHUP, SIG_DFL);
  signal(SIGINT, SIG_DFL);
  signal(SIGPIPE, SIG_DFL);
  execvp(argv[0], argv);
  int err = errno;
  report_fd = REPORT_FD;
  char what[PATH_MAX + 64];
  snprintf(what, sizeof what, "cannot run `%s`", argv[0]);
  fail(what, err);
}

static void reply(char byte) {
  if (status_fd >= 0) write_all(status_fd, &byte, 1);
}

/* Take a copy of fd `fd` of the setup process (a pty master cannot be passed as a path). */
static int copy_setup_fd(int fd) {
  int pidfd = (int)syscall(SYS_pidfd_open, setup_pid, 0);
  if (pidfd < 0) return -1;
  int copy = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0); /* close-on-exec already */
  close(pidfd);
  return copy;
}

static void status_line(char *line) {
  long pid, fd, code;
  if (sscanf(line, "start %ld %ld", &pid, &fd) == 2 && pid > 0) {
    container_pid = (pid_t)pid;
    char answer = '1';
    if (fd >= 0) {
      int master = setup_reaped ? -1 : copy_setup_fd((int)fd);
      if (master >= 0) {
        sources[SRC_TTY].fd = master;
        master_fd = master;
        set_nonblocking(master); /* the setup process's copy too: it no longer reads it */
      } else {
        answer = '0';
      }
    }
    reply(answer);
  } else if (sscanf(line, "kill-pid %ld", &pid) == 1 && pid > 0) {
    kill_pid = (pid_t)pid;
    if (timeout_s > 0) kill_deadline = now_ms() + timeout_s * 1000;
  } else if (sscanf(line, "exit %ld", &code) == 1) {
    container_exited = 1;
    exit_code = (int)code;
  }
}

/* Read and act on whatever the setup process has written so far. */
static void read_status(void) {
  while (status_fd >= 0) {
    ssize_t n;
    do n = read(status_fd, status_buf + status_len, sizeof status_buf - 1 - status_len);
    while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) {
      close(status_fd);
      status_fd = -1;
      return;
    }
    status_len += (size_t)n;
    status_buf[status_len] = '\0';
    char *start = status_buf, *newline;
    while ((newline = strchr(start, '\n'))) {
      *newline = '\0';
      status_line(start);
      start = newline + 1;
    }
    status_len -= (size_t)(start - status_buf);
    memmove(status_buf, start, status_len);
    if (status_len == sizeof status_buf - 1) status_len = 0; /* no line is that long: garbage */
  }
}

static int code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return LOST_EXIT_CODE; /* neither: not a status waitpid() gives without WUNTRACED */
}

/* Reap every child that has exited: the setup process, and once it is gone, what it left to
 * this subreaper (the container, slirp4netns). */
/* ---- the healthcheck timer ------------------------------------------------------------------ */

static long health_interval_ms; /* 0: no timer */
static char *health_cmd[MAX_CLEANUP_ARGS + 1];
static int nhealth;
static pid_t health_pid; /* the check running now, or 0 */
static long health_next;

static void start_healthcheck(void) {
  pid_t pid = fork();
  if (pid != 0) {
    if (pid > 0) health_pid = pid;
    return;
  }
  /* its own session: the monitor does not wait for it at the container's exit (a restart outlives it) */
  setsid();
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  int null_fd = open("/dev/null", O_RDWR);
  if (null_fd >= 0) {
    dup2(null_fd, 0);
    dup2(null_fd, 1);
    dup2(null_fd, 2);
    if (null_fd > 2) close(null_fd);
  }
  execvp(health_cmd[0], health_cmd);
  _exit(EXIT_FAILURE); /* nobody reads it: the check is simply not recorded */
}

/* How long poll may wait for the next check (-1: none due); a check due now is started. As
 * Podman's timer (systemd's OnUnitInactiveSec), the next one is due an interval after the last
 * one ended (reap), the first an interval after the start. */
static int healthcheck_wait_ms(void) {
  if (health_interval_ms <= 0 || container_pid == 0 || container_exited || health_pid != 0) return -1;
  long now = now_ms();
  if (health_next == 0) health_next = now + health_interval_ms;
  if (now < health_next) return (int)(health_next - now);
  start_healthcheck();
  health_next = now + health_interval_ms; /* only if it could not be started */
  return health_pid != 0 ? -1 : (int)health_interval_ms;
}

static void reap(void) {
  for (;;) {
    int status;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid < 0 && errno == EINTR) continue;
    if (pid <= 0) return;
    /* Anything but the setup process was its child: it has exited, so all it wrote is there. */
    read_status();
    if (pid == setup_pid) {
      setup_reaped = 1;
    } else if (pid == health_pid) {
      health_pid = 0;
      health_next = now_ms() + health_interval_ms;
    } else if (pid == container_pid && !container_exited) {
      container_exited = 1;
      exit_code = code_of(status);
    }
  }
}

/* Once the setup process is gone, is the container this process's child? If the setup process
 * reaped it without saying so (it was killed in between), its exit is lost. */
static void check_container_is_ours(void) {
  if (!setup_reaped || container_pid == 0 || container_exited) return;
  siginfo_t info;
  memset(&info, 0, sizeof info);
  if (waitid(P_PID, (id_t)container_pid, &info, WEXITED | WNOHANG | WNOWAIT) < 0 && errno == ECHILD) {
    container_exited = 1;
    exit_code = LOST_EXIT_CODE;
  }
}

/* ---- the exit ------------------------------------------------------------------------------- */

static void write_exit_file(const char *path, int code) {
  char tmp[PATH_MAX];
  if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) return;
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return; /* the run root is gone (a reboot is faked, or rm -f raced): the record settles */
  char text[16];
  int n = snprintf(text, sizeof text, "%d", code);
  int ok = write_all(fd, text, (size_t)n) == 0;
  if (close(fd) < 0) ok = 0;
  if (ok && rename(tmp, path) == 0) return;
  unlink(tmp);
}

static int open_sources(struct pollfd *fds) {
  int n = 0;
  for (int i = 0; i < 3; i++)
    if (sources[i].fd >= 0) fds[n++] = (struct pollfd){sources[i].fd, POLLIN, 0};
  return n;
}

static struct client *client_of(int fd) {
  for (int i = 0; i < MAX_CLIENTS; i++)
    if (clients[i].fd == fd && fd >= 0) return &clients[i];
  return NULL;
}

/* No more clients: the socket goes, those connected read EOF. */
static void end_attach(void) {
  if (listen_fd >= 0) {
    close(listen_fd);
    listen_fd = -1;
    unlink(attach_socket_path);
  }
  for (int i = 0; i < MAX_CLIENTS; i++)
    if (clients[i].fd >= 0) client_close(&clients[i]);
}

static struct source *source_of(int fd) {
  for (int i = 0; i < 3; i++)
    if (sources[i].fd == fd) return &sources[i];
  return NULL;
}

/* The output the container wrote before it ended, until every writer is gone or DRAIN_MS. */
static void drain(void) {
  long deadline = now_ms() + DRAIN_MS;
  for (;;) {
    struct pollfd fds[3];
    int n = open_sources(fds);
    long left = deadline - now_ms();
    if (n == 0 || left <= 0) return;
    int r = poll(fds, (nfds_t)n, (int)left);
    if (r < 0 && errno != EINTR) return;
    for (int i = 0; r > 0 && i < n; i++) {
      if (!fds[i].revents) continue;
      struct source *s = source_of(fds[i].fd);
      if (s) pump(s);
    }
  }
}

/* The start of a small file as a string; 0 when it cannot be read or is empty. */
static int read_text(const char *path, char *buf, size_t size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t n = read(fd, buf, size - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = 0;
  return 1;
}

/* The parent and session of a process, from /proc/<pid>/stat; 0 when it is gone. */
static int parent_and_session(pid_t pid, long *ppid, long *session) {
  char path[64], stat[512];
  snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
  if (!read_text(path, stat, sizeof stat)) return 0;
  char *after_name = strrchr(stat, ')'); /* the name may hold spaces and parentheses */
  char state;
  long pgrp;
  return after_name && sscanf(after_name + 1, " %c %ld %ld %ld", &state, ppid, &pgrp, session) == 4;
}

/* The helper named in the --end-pidfile file asked to end (SIGTERM), when it is a child of this
 * process (as a child, it cannot have died and had its pid reused without this process reaping
 * it); its pid, or 0. */
static pid_t end_helper(void) {
  if (!end_pidfile) return 0;
  char buf[32];
  if (!read_text(end_pidfile, buf, sizeof buf)) return 0;
  char *end;
  errno = 0;
  long pid = strtol(buf, &end, 10);
  long ppid, session;
  if (errno || end == buf || pid <= 1 || pid > INT_MAX) return 0;
  if (!parent_and_session((pid_t)pid, &ppid, &session) || ppid != (long)getpid()) return 0;
  kill((pid_t)pid, SIGTERM);
  return (pid_t)pid;
}

/* Whether a child this process still has is one to wait for: one in this process's session
 * (slirp4netns, the setup process if it saw the exit itself) or the ended helper. A child in a
 * session of its own is another container's monitor (a pod's infra, started by this container's
 * setup, became this subreaper's child) and lives on. */
static int has_child_to_wait_for(pid_t helper) {
  char path[64], list[4096];
  snprintf(path, sizeof path, "/proc/%ld/task/%ld/children", (long)getpid(), (long)getpid());
  if (access(path, R_OK) != 0) return 1; /* cannot tell: wait for every child */
  if (!read_text(path, list, sizeof list)) return 0; /* none */
  long own = (long)getsid(0);
  for (char *p = list, *end; *p; p = end) {
    long pid = strtol(p, &end, 10);
    if (end == p) break;
    long ppid, session;
    if (pid == helper || (parent_and_session((pid_t)pid, &ppid, &session) && session == own)) return 1;
  }
  return 0;
}

/* Reap this process's ended children, waiting (for at most REAP_MS) while one it waits for runs. */
static void reap_all(int signal_fd, pid_t helper) {
  long deadline = now_ms() + REAP_MS;
  for (;;) {
    int status;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid > 0 || (pid < 0 && errno == EINTR)) continue;
    if (pid < 0) return; /* ECHILD: none left */
    if (!has_child_to_wait_for(helper)) return;
    long left = deadline - now_ms();
    if (left <= 0) return;
    struct pollfd p = {signal_fd, POLLIN, 0};
    if (poll(&p, 1, (int)left) > 0) {
      struct signalfd_siginfo info;
      while (read(signal_fd, &info, sizeof info) > 0) {
      }
    }
  }
}

/* ---- main ----------------------------------------------------------------------------------- */

static void usage(void) __attribute__((noreturn));
static void usage(void) {
  fail("usage: conmon [--dumpable] --log FILE [--log-size-max BYTES] [--timeout SECONDS] [--end-pidfile FILE] [--health-interval MS --health-cmd ARG...] --exit-file FILE --cleanup ARG... -- SETUP-COMMAND...", 0);
}

int main(int argc, char **argv) {
  /* the monitor outlives the CLI next to a container of the same user: nothing of it (fds, memory)
   * is to be read through /proc/<pid> until the options say that no container process can see it
   * (--dumpable); fds 0-3 are what it is given, all above are closed below */
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  if (fcntl(REPORT_FD, F_GETFD) < 0) report_fd = -1;
  fcntl(REPORT_FD, F_SETFD, FD_CLOEXEC);
  fcntl(ATTACH_FD, F_SETFD, FD_CLOEXEC);
  close_from(ATTACH_FD + 1); /* whatever the CLI had open is none of the container's business */
  for (int k = 0; k < MAX_CLIENTS; k++) clients[k].fd = -1;

  const char *exit_path = NULL;
  char *cleanup[MAX_CLEANUP_ARGS + 2];
  int ncleanup = 0, i, stdin_pipe = 0, dumpable = 0, attach_fd = 0;
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0) break;
    /* -i: the setup process's fd 0 is a pipe this process holds open, never writing, so that the
     * container's stdin stays open (and empty) as under conmon */
    if (strcmp(argv[i], "--stdin-pipe") == 0) {
      stdin_pipe = 1;
      continue;
    }
    /* --dumpable: the container has a pid namespace of its own, so none of its processes can see
     * this one; the user's own tools may then read it through /proc/<pid> (its exe, its
     * environ), as they read conmon's. Without it (--pid=host, a joined pid namespace) it stays
     * unreadable. */
    if (strcmp(argv[i], "--dumpable") == 0) {
      dumpable = 1;
      continue;
    }
    if (strcmp(argv[i], "--attach-fd") == 0) {
      attach_fd = 1;
      continue;
    }
    if (i + 1 >= argc) usage();
    if (strcmp(argv[i], "--log") == 0) log_path = argv[++i];
    else if (strcmp(argv[i], "--log-size-max") == 0) {
      char *end;
      errno = 0;
      log_size_max = strtoll(argv[++i], &end, 10);
      if (errno || *end || end == argv[i] || log_size_max < 0) usage();
    } else if (strcmp(argv[i], "--exit-file") == 0) exit_path = argv[++i];
    else if (strcmp(argv[i], "--end-pidfile") == 0) end_pidfile = argv[++i];
    else if (strcmp(argv[i], "--attach-socket") == 0) attach_socket_path = argv[++i];
    else if (strcmp(argv[i], "--timeout") == 0) {
      char *end;
      errno = 0;
      timeout_s = strtol(argv[++i], &end, 10);
      if (errno || *end || end == argv[i] || timeout_s < 0) usage();
    } else if (strcmp(argv[i], "--health-interval") == 0) {
      char *end;
      errno = 0;
      health_interval_ms = strtol(argv[++i], &end, 10);
      if (errno || *end || end == argv[i] || health_interval_ms < 0) usage();
    } else if (strcmp(argv[i], "--health-cmd") == 0 && nhealth < MAX_CLEANUP_ARGS) health_cmd[nhealth++] = argv[++i];
    else if (strcmp(argv[i], "--cleanup") == 0 && ncleanup < MAX_CLEANUP_ARGS) cleanup[ncleanup++] = argv[++i];
    else usage();
  }
  char **setup = argv + i + 1;
  if (i >= argc || !*setup || !log_path || !exit_path || ncleanup == 0 || (health_interval_ms > 0 && nhealth == 0)) usage();
  if (dumpable) prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
  if (attach_fd && fcntl(ATTACH_FD, F_GETFD) >= 0) client_add(ATTACH_FD);
  else close(ATTACH_FD);
  if (attach_socket_path) listen_attach();

  /* Nobody's terminal or pipe ends this process: not a hangup, not ^C, not a closed reader. */
  signal(SIGHUP, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  tzset();

  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);
  int signal_fd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
  if (signal_fd < 0) fail("signalfd", errno);
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) fail("prctl(PR_SET_CHILD_SUBREAPER)", errno);

  log_fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (log_fd < 0) {
    char what[PATH_MAX + 32];
    snprintf(what, sizeof what, "opening the log `%s`", log_path);
    fail(what, errno);
  }
  struct stat log_stat;
  if (fstat(log_fd, &log_stat) == 0) log_size = (long long)log_stat.st_size; /* a restart appends */
  int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  int out[2], err[2], alive[2], status[2], in[2] = {-1, -1};
  if (null_fd < 0) fail("opening /dev/null", errno);
  if (stdin_pipe && pipe2(in, O_CLOEXEC) < 0) fail("pipe2", errno);
  if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0 || pipe2(alive, O_CLOEXEC) < 0) fail("pipe2", errno);
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, status) < 0) fail("socketpair", errno);

  setup_pid = fork();
  if (setup_pid < 0) fail("fork", errno);
  if (setup_pid == 0) run_setup(setup, null_fd, in[0], alive[0], out[1], err[1], status[1]);

  /* the setup process answers the CLI; while this one holds the pipe, the CLI would wait */
  if (report_fd >= 0) close(report_fd);
  report_fd = -1;
  close(null_fd);
  if (in[0] >= 0) close(in[0]); /* in[1] stays open until this process ends, or a client closes it */
  stdin_write_fd = in[1];
  close(alive[0]);
  close(out[1]);
  close(err[1]);
  close(status[1]);
  sources[SRC_STDOUT].fd = out[0];
  sources[SRC_STDERR].fd = err[0];
  status_fd = status[0];
  set_nonblocking(out[0]);
  set_nonblocking(err[0]);
  set_nonblocking(status_fd);

  int timed_out = 0;
  /* Until the container has exited, or the setup process is gone without starting one. */
  while (!container_exited && !(setup_reaped && container_pid == 0)) {
    int wait_ms = -1;
    if (kill_deadline && !timed_out) {
      long left = kill_deadline - now_ms();
      if (left <= 0) {
        kill(kill_pid, SIGKILL);
        timed_out = 1;
      } else {
        wait_ms = (int)left;
      }
    }
    int health_ms = healthcheck_wait_ms();
    if (health_ms >= 0 && (wait_ms < 0 || health_ms < wait_ms)) wait_ms = health_ms;
    struct pollfd fds[5 + 1 + MAX_CLIENTS];
    int n = open_sources(fds);
    if (status_fd >= 0) fds[n++] = (struct pollfd){status_fd, POLLIN, 0};
    fds[n++] = (struct pollfd){signal_fd, POLLIN, 0};
    if (listen_fd >= 0) fds[n++] = (struct pollfd){listen_fd, POLLIN, 0};
    for (int k = 0; k < MAX_CLIENTS; k++)
      if (clients[k].fd >= 0) fds[n++] = (struct pollfd){clients[k].fd, POLLIN, 0};
    if (poll(fds, (nfds_t)n, wait_ms) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int k = 0; k < n; k++) {
      if (!fds[k].revents) continue;
      if (fds[k].fd == status_fd) {
        read_status();
      } else if (fds[k].fd == listen_fd) {
        accept_clients();
      } else if (client_of(fds[k].fd)) {
        client_read(client_of(fds[k].fd));
      } else if (fds[k].fd == signal_fd) {
        struct signalfd_siginfo info;
        while (read(signal_fd, &info, sizeof info) > 0) {
        }
        reap();
        check_container_is_ours();
      } else {
        struct source *s = source_of(fds[k].fd);
        if (s) pump(s);
      }
    }
  }

  if (!container_exited) {
    /* the container never ran; the setup process has told the CLI why */
    drain();
    end_attach();
    return 0;
  }
  if (timed_out) exit_code = -1;
  drain();
  out_flush();
  close(log_fd);
  close(alive[1]); /* slirp4netns exits */
  reap_all(signal_fd, end_helper());
  /* Last: whoever sees the exit file finds all the output in the log (tspod logs -f), and the
   * container's ports free again (a restart binds them). */
  write_exit_file(exit_path, exit_code);
  char code[16];
  snprintf(code, sizeof code, "%d", exit_code);
  broadcast('x', code, strlen(code));
  end_attach();

  cleanup[ncleanup++] = code;
  cleanup[ncleanup] = NULL;
  sigprocmask(SIG_UNBLOCK, &chld, NULL);
  close(signal_fd);
  execvp(cleanup[0], cleanup);
  return EXIT_MONITOR_FAILED; /* the record settles from the exit file */
}
