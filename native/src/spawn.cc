// The parent half of the namespace primitive: turn the JavaScript plan into C memory, clone a
// child into the requested namespaces, and hand the parent ends of its sockets back to JS.
// Validation happens in src/native.ts; here we only check types.
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "child.h"
#include "errors.h"

namespace {

struct OwnedPlan {
  std::vector<std::string> strings;  // reserved up front so c_str() pointers stay valid
  std::vector<std::vector<unsigned int>> idLists;  // setgroups lists; their buffers never move
  std::vector<tspod_step> steps;
  std::vector<char *> argv, envp, execArgv;
  std::vector<tspod_join> joins;
  tspod_plan plan{};
};

const char *Keep(OwnedPlan &owned, const Napi::Value &value) {
  if (!value.IsString()) return nullptr;
  owned.strings.push_back(value.As<Napi::String>().Utf8Value());
  return owned.strings.back().c_str();
}

bool StepKind(const std::string &kind, tspod_step_kind *out) {
  static const struct { const char *name; tspod_step_kind kind; } kinds[] = {
      {"mount", TSPOD_STEP_MOUNT},       {"umount", TSPOD_STEP_UMOUNT},         {"mkdir", TSPOD_STEP_MKDIR},
      {"mknod", TSPOD_STEP_MKNOD},       {"setxattr", TSPOD_STEP_SETXATTR},     {"symlink", TSPOD_STEP_SYMLINK},
      {"chdir", TSPOD_STEP_CHDIR},       {"pivot_root", TSPOD_STEP_PIVOT_ROOT}, {"sethostname", TSPOD_STEP_SETHOSTNAME},
      {"mkdirp", TSPOD_STEP_MKDIRP},     {"touch", TSPOD_STEP_TOUCH},           {"setgroups", TSPOD_STEP_SETGROUPS},
      {"setresgid", TSPOD_STEP_SETRESGID}, {"setresuid", TSPOD_STEP_SETRESUID}, {"umask", TSPOD_STEP_UMASK},
      {"rlimit", TSPOD_STEP_RLIMIT},     {"caps", TSPOD_STEP_CAPS},             {"no_new_privs", TSPOD_STEP_NO_NEW_PRIVS},
      {"setsid", TSPOD_STEP_SETSID},     {"console", TSPOD_STEP_CONSOLE},     {"umount_detach", TSPOD_STEP_UMOUNT_DETACH},
      {"loopback_up", TSPOD_STEP_LOOPBACK_UP}, {"seccomp", TSPOD_STEP_SECCOMP},
      {"wait_release", TSPOD_STEP_WAIT_RELEASE}, {"nest_userns", TSPOD_STEP_NEST_USERNS},
      {"write", TSPOD_STEP_WRITE},
      {"hold", TSPOD_STEP_HOLD},
  };
  for (const auto &k : kinds)
    if (kind == k.name) { *out = k.kind; return true; }
  return false;
}

int CloneFlag(const std::string &ns) {
  if (ns == "user") return CLONE_NEWUSER;
  if (ns == "mount") return CLONE_NEWNS;
  if (ns == "pid") return CLONE_NEWPID;
  if (ns == "uts") return CLONE_NEWUTS;
  if (ns == "ipc") return CLONE_NEWIPC;
  if (ns == "net") return CLONE_NEWNET;
  if (ns == "cgroup") return CLONE_NEWCGROUP;
  return 0;
}

// The namespaces a join enters, in the order it enters them: the user namespace first (it
// grants the capabilities the others need), the mount namespace last (it moves root and cwd).
const struct { const char *name; const char *file; int flag; } kJoinOrder[] = {
    {"user", "user", CLONE_NEWUSER}, {"ipc", "ipc", CLONE_NEWIPC}, {"uts", "uts", CLONE_NEWUTS},
    {"net", "net", CLONE_NEWNET},    {"pid", "pid", CLONE_NEWPID}, {"cgroup", "cgroup", CLONE_NEWCGROUP},
    {"mount", "mnt", CLONE_NEWNS},
};

unsigned long Num(const Napi::Object &o, const char *key) {
  Napi::Value v = o.Get(key);
  return v.IsNumber() ? (unsigned long)v.As<Napi::Number>().Int64Value() : 0;
}

bool Flag(const Napi::Object &o, const char *key) { return o.Get(key).ToBoolean(); }

// An rlimit value: Infinity (or anything past 2^64 - 1) is RLIM_INFINITY.
unsigned long long Limit(const Napi::Object &o, const char *key) {
  Napi::Value v = o.Get(key);
  if (!v.IsNumber()) return 0;
  double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d >= 18446744073709551615.0) return ~0ULL;
  return d <= 0 ? 0 : (unsigned long long)d;
}

// A list of capability numbers as a bit mask.
unsigned long long CapMask(const Napi::Object &o, const char *key) {
  Napi::Value v = o.Get(key);
  if (!v.IsArray()) return 0;
  Napi::Array list = v.As<Napi::Array>();
  unsigned long long mask = 0;
  for (uint32_t i = 0; i < list.Length(); i++) {
    uint32_t cap = list.Get(i).As<Napi::Number>().Uint32Value();
    if (cap < 64) mask |= 1ULL << cap;
  }
  return mask;
}

unsigned int Options(const Napi::Object &s) {
  unsigned int opts = 0;
  if (Flag(s, "inRoot")) opts |= TSPOD_OPT_IN_ROOT;
  if (Flag(s, "sourceInRoot")) opts |= TSPOD_OPT_SOURCE_IN_ROOT;
  if (Flag(s, "optional")) opts |= TSPOD_OPT_OPTIONAL;
  if (Flag(s, "keepLockedFlags")) opts |= TSPOD_OPT_KEEP_LOCKED;
  if (Flag(s, "copyUp")) opts |= TSPOD_OPT_COPY_UP;
  Napi::Value onlyIf = s.Get("onlyIf");
  if (onlyIf.IsString()) {
    std::string kind = onlyIf.As<Napi::String>().Utf8Value();
    opts |= kind == "dir" ? TSPOD_OPT_ONLY_DIR : TSPOD_OPT_ONLY_NONDIR;
  }
  return opts;
}

size_t CountStrings(const Napi::Object &options) {
  size_t n = 12 + sizeof kJoinOrder / sizeof kJoinOrder[0];
  for (const char *key : {"argv", "env", "steps"}) {
    Napi::Value v = options.Get(key);
    if (v.IsArray()) n += v.As<Napi::Array>().Length() * 5;
  }
  return n;
}

// The exec helper (native/exec-helper/), copied once into a memfd sealed against any change:
// every child executes it last, so that the container can never reach a writable binary through
// /proc/<pid>/exe (see child.h). Loaded on the first spawn; the fd stays open, close-on-exec.
int execHelperFd = -1;

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

int LoadExecHelper(const std::string &path) {
  int src = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (src < 0) return -1;
  // MFD_EXEC: executable even where vm.memfd_noexec makes memfds noexec by default (Linux 6.3+)
  int fd = memfd_create("tspod-exec-helper", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
  if (fd < 0 && errno == EINVAL) fd = memfd_create("tspod-exec-helper", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) {
    int err = errno;
    close(src);
    errno = err;
    return -1;
  }
  char buf[65536];
  for (;;) {
    ssize_t n = read(src, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    if (n == 0) {
      close(src);
      if (fchmod(fd, 0555) == 0 &&
          fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) == 0)
        return fd;
      int err = errno;
      close(fd);
      errno = err;
      return -1;
    }
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(fd, buf + off, (size_t)(n - off));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        int err = w < 0 ? errno : EIO;
        close(src);
        close(fd);
        errno = err;
        return -1;
      }
      off += w;
    }
  }
  int err = errno;
  close(src);
  close(fd);
  errno = err;
  return -1;
}

void CloseAll(std::vector<int> &fds) {
  for (int fd : fds)
    if (fd >= 0) close(fd);
  fds.clear();
}

}  // namespace

// spawn({namespaces, join?: {pid, namespaces}, steps, file, argv, env, cwd, stdio, console,
//        waitForRelease, dieWithParent})
//   -> {pid, syncFd, consoleFd, stdio: [fd|-1, fd|-1, fd|-1]}
Napi::Value Spawn(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) return ThrowType(env, "spawn: options object expected");
  Napi::Object options = info[0].As<Napi::Object>();

  auto owned = std::make_unique<OwnedPlan>();
  owned->strings.reserve(CountStrings(options));

  int cloneFlags = 0;
  Napi::Value nsValue = options.Get("namespaces");
  if (nsValue.IsArray()) {
    Napi::Array list = nsValue.As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); i++) {
      std::string name = list.Get(i).As<Napi::String>().Utf8Value();
      int flag = CloneFlag(name);
      if (!flag) return ThrowType(env, "spawn: unknown namespace " + name);
      cloneFlags |= flag;
    }
  }

  // Join mode: the namespace files are opened here, so that a process that is gone or out of
  // reach is an error of this call naming the file; the child only calls setns() on them. A join
  // is {pid, namespaces} (that process's /proc/<pid>/ns/*) or {paths: [{namespace, path}]}.
  // With a join, `namespaces` are not cloned but unshared by the child once it has joined (the
  // joined user namespace grants the capabilities to make them); a new pid namespace is made by
  // the child's fork into it.
  std::vector<int> childFds, parentFds;
  Napi::Value joinValue = options.Get("join");
  if (joinValue.IsObject()) {
    Napi::Object join = joinValue.As<Napi::Object>();
    const size_t kinds = sizeof kJoinOrder / sizeof kJoinOrder[0];
    std::string paths[kinds];
    Napi::Value pathsValue = join.Get("paths");
    if (pathsValue.IsArray()) {
      Napi::Array list = pathsValue.As<Napi::Array>();
      for (uint32_t i = 0; i < list.Length(); i++) {
        Napi::Object entry = list.Get(i).As<Napi::Object>();
        std::string name = entry.Get("namespace").As<Napi::String>().Utf8Value();
        size_t k = 0;
        while (k < kinds && name != kJoinOrder[k].name) k++;
        if (k == kinds) return ThrowType(env, "spawn: unknown namespace " + name);
        paths[k] = entry.Get("path").As<Napi::String>().Utf8Value();
      }
    } else {
      Napi::Value pidValue = join.Get("pid");
      Napi::Value listValue = join.Get("namespaces");
      if (!pidValue.IsNumber() || !listValue.IsArray()) return ThrowType(env, "spawn: join {pid, namespaces} or {paths} expected");
      long long target = pidValue.As<Napi::Number>().Int64Value();
      Napi::Array list = listValue.As<Napi::Array>();
      for (uint32_t i = 0; i < list.Length(); i++) {
        std::string name = list.Get(i).As<Napi::String>().Utf8Value();
        size_t k = 0;
        while (k < kinds && name != kJoinOrder[k].name) k++;
        if (k == kinds) return ThrowType(env, "spawn: unknown namespace " + name);
        paths[k] = "/proc/" + std::to_string(target) + "/ns/" + kJoinOrder[k].file;
      }
    }
    for (size_t k = 0; k < kinds; k++) {
      if (paths[k].empty()) continue;
      owned->strings.push_back(paths[k]);
      const char *path = owned->strings.back().c_str();
      int fd = open(path, O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        int err = errno;
        CloseAll(childFds);
        return ThrowErrno(env, err, "open", path);
      }
      childFds.push_back(fd);
      owned->joins.push_back(tspod_join{fd, kJoinOrder[k].flag, path});
      if (kJoinOrder[k].flag == CLONE_NEWPID) owned->plan.fork_after_join = 1;
    }
    owned->plan.unshare_flags = cloneFlags;
    if (cloneFlags & CLONE_NEWPID) owned->plan.fork_after_join = 1;
    cloneFlags = 0;
  }

  Napi::Value stepsValue = options.Get("steps");
  if (stepsValue.IsArray()) {
    Napi::Array list = stepsValue.As<Napi::Array>();
    owned->idLists.reserve(list.Length());
    for (uint32_t i = 0; i < list.Length(); i++) {
      Napi::Object s = list.Get(i).As<Napi::Object>();
      tspod_step step{};
      std::string kind = s.Get("kind").As<Napi::String>().Utf8Value();
      if (!StepKind(kind, &step.kind)) {
        CloseAll(childFds);
        return ThrowType(env, "spawn: unknown step kind " + kind);
      }
      step.name = Keep(*owned, s.Get("name"));
      step.path = Keep(*owned, s.Get("path"));
      step.source = Keep(*owned, s.Get("source"));
      step.fstype = Keep(*owned, s.Get("fstype"));
      step.data = Keep(*owned, s.Get("data"));
      step.flags = Num(s, "flags");
      step.mode = Num(s, "mode");
      step.dev = Num(s, "dev");
      step.opts = Options(s);
      Napi::Value fallback = s.Get("fallback");
      if (fallback.IsObject()) {
        step.fallback_errno = (int)Num(fallback.As<Napi::Object>(), "errno");
        step.fallback_steps = (unsigned int)Num(fallback.As<Napi::Object>(), "steps");
      }
      step.id = (unsigned int)Num(s, "id");
      Napi::Value groups = s.Get("groups");
      if (groups.IsArray()) {
        Napi::Array list = groups.As<Napi::Array>();
        owned->idLists.emplace_back();
        for (uint32_t g = 0; g < list.Length(); g++) owned->idLists.back().push_back(list.Get(g).As<Napi::Number>().Uint32Value());
        step.ids = owned->idLists.back().data();
        step.nids = owned->idLists.back().size();
      } else if (groups.IsString() && groups.As<Napi::String>().Utf8Value() == "keep") {
        step.keep_groups = 1;
      }
      step.resource = (int)Num(s, "resource");
      step.rows = (unsigned short)Num(s, "rows");
      step.cols = (unsigned short)Num(s, "cols");
      step.soft = Limit(s, "soft");
      step.hard = Limit(s, "hard");
      const char *sets[] = {"bounding", "effective", "permitted", "inheritable", "ambient"};
      for (int c = 0; c < 5; c++) step.caps[c] = CapMask(s, sets[c]);
      // seccomp: the Buffer stays referenced by `options` until clone() has copied the memory
      Napi::Value filter = s.Get("filter");
      if (filter.IsBuffer()) {
        step.filter = filter.As<Napi::Buffer<uint8_t>>().Data();
        step.filter_len = filter.As<Napi::Buffer<uint8_t>>().Length();
      }
      owned->steps.push_back(step);
    }
  }

  for (const char *key : {"argv", "env"}) {
    auto &out = std::string(key) == "argv" ? owned->argv : owned->envp;
    Napi::Value v = options.Get(key);
    if (v.IsArray()) {
      Napi::Array list = v.As<Napi::Array>();
      for (uint32_t i = 0; i < list.Length(); i++) out.push_back(const_cast<char *>(Keep(*owned, list.Get(i))));
    }
    out.push_back(nullptr);
  }

  tspod_plan &plan = owned->plan;
  plan.file = Keep(*owned, options.Get("file"));
  plan.exec_fd = -1;
  if (plan.file) {
    Napi::Value helperValue = options.Get("execHelper");
    if (!helperValue.IsString()) {
      CloseAll(childFds);
      return ThrowType(env, "spawn: execHelper (the path of tspod-exec-helper) expected with a file");
    }
    if (execHelperFd < 0) {
      std::string helperPath = helperValue.As<Napi::String>().Utf8Value();
      execHelperFd = LoadExecHelper(helperPath);
      if (execHelperFd < 0) {
        int err = errno;
        CloseAll(childFds);
        return ThrowErrno(env, err, "loading the exec helper", helperPath);
      }
    }
    plan.exec_fd = execHelperFd;
  }
  plan.cwd = Keep(*owned, options.Get("cwd"));
  plan.argv = owned->argv.data();
  plan.envp = owned->envp.data();
  plan.steps = owned->steps.data();
  plan.nsteps = owned->steps.size();
  plan.wait_for_release = options.Get("waitForRelease").ToBoolean();
  plan.die_with_parent = options.Get("dieWithParent").ToBoolean();
  Napi::Value preserveValue = options.Get("preserveFds");
  plan.preserve_fds = preserveValue.IsNumber() ? preserveValue.As<Napi::Number>().Int32Value() : 0;
  plan.joins = owned->joins.data();
  plan.njoins = owned->joins.size();

  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
    int err = errno;
    CloseAll(childFds);
    return ThrowErrno(env, err, "socketpair");
  }
  parentFds.push_back(sv[0]);
  childFds.push_back(sv[1]);
  plan.sync_fd = sv[1];
  if (plan.file) {
    for (const std::string &arg : {std::string("tspod-exec-helper"), std::to_string(sv[1]), std::string(plan.file), std::string("--")}) {
      owned->strings.push_back(arg);
      owned->execArgv.push_back(const_cast<char *>(owned->strings.back().c_str()));
    }
    for (char *arg : owned->argv)
      if (arg) owned->execArgv.push_back(arg);
    owned->execArgv.push_back(nullptr);
    plan.exec_argv = owned->execArgv.data();
  }

  plan.console_fd = -1;
  int consoleParent = -1;
  if (options.Get("console").ToBoolean()) {
    int cv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, cv) < 0) {
      int err = errno;
      CloseAll(childFds);
      CloseAll(parentFds);
      return ThrowErrno(env, err, "socketpair");
    }
    parentFds.push_back(cv[0]);
    childFds.push_back(cv[1]);
    plan.console_fd = cv[1];
    consoleParent = cv[0];
  }

  int parentStdio[3] = {-1, -1, -1};
  Napi::Value stdioValue = options.Get("stdio");
  Napi::Array stdio = stdioValue.IsArray() ? stdioValue.As<Napi::Array>() : Napi::Array::New(env);
  for (int i = 0; i < 3; i++) {
    plan.stdio[i] = -1;
    Napi::Value spec = stdio.Get(i);
    if (spec.IsNumber()) {
      plan.stdio[i] = spec.As<Napi::Number>().Int32Value();
    } else if (spec.IsString() && spec.As<Napi::String>().Utf8Value() == "pipe") {
      int p[2];
      if (pipe2(p, O_CLOEXEC) < 0) {
        int err = errno;
        CloseAll(childFds);
        CloseAll(parentFds);
        return ThrowErrno(env, err, "pipe2");
      }
      int childEnd = i == 0 ? p[0] : p[1], parentEnd = i == 0 ? p[1] : p[0];
      childFds.push_back(childEnd);
      parentFds.push_back(parentEnd);
      plan.stdio[i] = childEnd;
      parentStdio[i] = parentEnd;
    }
  }

  // --preserve-fds: the caller's fds take 3 .. 3+N-1 (src/runtime/container/preserve-fds.ts
  // checked that); none of the child's own may sit there, or the child would keep it open
  for (int fd : childFds) {
    if (fd >= 3 && fd < 3 + plan.preserve_fds) {
      CloseAll(childFds);
      CloseAll(parentFds);
      return ThrowErrno(env, EBADF, "preserve-fds", std::to_string(fd));
    }
  }
  for (int fd : plan.stdio) {
    if (fd >= 3 && fd < 3 + plan.preserve_fds) {
      CloseAll(childFds);
      CloseAll(parentFds);
      return ThrowErrno(env, EBADF, "preserve-fds", std::to_string(fd));
    }
  }

  // Block every signal across the clone, so that no Node handler runs in the child before it
  // has reset them; the parent restores its mask right after.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  long pid = syscall(SYS_clone, (unsigned long)cloneFlags | SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) tspod_child_run(&plan);
  int cloneErr = errno;
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  CloseAll(childFds);
  if (pid < 0) {
    CloseAll(parentFds);
    return ThrowErrno(env, cloneErr, "clone");
  }

  Napi::Object result = Napi::Object::New(env);
  result.Set("pid", Napi::Number::New(env, (double)pid));
  result.Set("syncFd", Napi::Number::New(env, sv[0]));
  result.Set("consoleFd", Napi::Number::New(env, consoleParent));
  Napi::Array fds = Napi::Array::New(env, 3);
  for (uint32_t i = 0; i < 3; i++) fds.Set(i, Napi::Number::New(env, parentStdio[i]));
  result.Set("stdio", fds);
  return result;
}
