// runPrograms([{file, argv}, ...], timeoutMs) -> [{code, signal, stderr, timedOut}, ...]: run short
// helper programs (newuidmap, newgidmap) to completion, synchronously, all at once, their results
// in order: newuidmap and newgidmap do not depend on each other, so the id maps cost one
// program's time, not two. posix_spawn uses vfork, which
// costs well under a millisecond even from a large process; Node's child_process forks and sets
// up a loop handle, about 5 ms a program. stdin and stdout are /dev/null; stderr is captured. A
// program still running after timeoutMs is killed with SIGKILL.
#include "run-program.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "errors.h"

extern char **environ;

namespace {

long long NowMs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct Program {
  std::string file;
  std::vector<std::string> args;
  pid_t pid = -1;
  int stderrFd = -1;
  std::string stderrText;
  int status = 0;
  bool inTime = true;
};

// Spawn one program with stdin and stdout on /dev/null and stderr into a pipe; an errno on failure.
int Spawn(Program &p) {
  std::vector<char *> argv;
  for (auto &a : p.args) argv.push_back(const_cast<char *>(a.c_str()));
  argv.push_back(nullptr);
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) < 0) return errno;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipefd[1], 2);
  // The child starts with default signal dispositions and an empty mask, whatever Node set.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  int err = posix_spawn(&p.pid, p.file.c_str(), &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(pipefd[1]);
  if (err != 0) {
    close(pipefd[0]);
    p.pid = -1;
    return err;
  }
  p.stderrFd = pipefd[0];
  return 0;
}

// Read every program's stderr until each closes it or the deadline passes (those then time out).
void ReadAllUntilClosed(std::vector<Program> &programs, long long deadline) {
  char buf[4096];
  for (;;) {
    std::vector<struct pollfd> fds;
    std::vector<Program *> owners;
    for (auto &p : programs)
      if (p.stderrFd >= 0) {
        fds.push_back({p.stderrFd, POLLIN, 0});
        owners.push_back(&p);
      }
    if (fds.empty()) return;
    long long left = deadline - NowMs();
    int n = left <= 0 ? 0 : poll(fds.data(), fds.size(), (int)left);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) {  // the deadline passed
      for (auto *p : owners) {
        p->inTime = false;
        close(p->stderrFd);
        p->stderrFd = -1;
      }
      return;
    }
    for (size_t i = 0; i < fds.size(); i++) {
      Program &p = *owners[i];
      if (n > 0 && fds[i].revents == 0) continue;
      ssize_t got = n < 0 ? -1 : read(p.stderrFd, buf, sizeof buf);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {  // closed, or nothing more can be read
        close(p.stderrFd);
        p.stderrFd = -1;
        continue;
      }
      if (p.stderrText.size() < 65536) p.stderrText.append(buf, (size_t)got);
    }
  }
}

// Reap each program: one that closed stderr is about to exit; one that outlives the deadline is killed.
void ReapAll(std::vector<Program> &programs, long long deadline) {
  for (auto &p : programs) {
    if (p.pid < 0) continue;
    while (p.inTime) {
      pid_t r = waitpid(p.pid, &p.status, WNOHANG);
      if (r == p.pid || (r < 0 && errno != EINTR)) break;
      if (NowMs() >= deadline) p.inTime = false;
      else {
        struct timespec pause = {0, 100000};
        nanosleep(&pause, nullptr);
      }
    }
    if (!p.inTime) {
      kill(p.pid, SIGKILL);
      while (waitpid(p.pid, &p.status, 0) < 0 && errno == EINTR) {
      }
    }
  }
}

Napi::Object ResultOf(Napi::Env env, const Program &p) {
  Napi::Object result = Napi::Object::New(env);
  int status = p.status;
  result.Set("code", WIFEXITED(status) ? Napi::Value(Napi::Number::New(env, WEXITSTATUS(status))) : env.Null());
  result.Set("signal", WIFSIGNALED(status) ? Napi::Value(Napi::Number::New(env, WTERMSIG(status))) : env.Null());
  result.Set("stderr", Napi::String::New(env, p.stderrText));
  result.Set("timedOut", Napi::Boolean::New(env, !p.inTime));
  return result;
}

bool ReadProgram(Napi::Value file, Napi::Value argv, Program &p) {
  if (!file.IsString() || !argv.IsArray()) return false;
  p.file = file.As<Napi::String>().Utf8Value();
  Napi::Array array = argv.As<Napi::Array>();
  for (uint32_t i = 0; i < array.Length(); i++) p.args.push_back(array.Get(i).ToString().Utf8Value());
  return true;
}

// Run the programs at once; on a spawn failure the ones started are still reaped, then it throws.
Napi::Value RunAll(Napi::Env env, std::vector<Program> &programs, long long timeoutMs) {
  long long deadline = NowMs() + timeoutMs;
  int failedErr = 0;
  std::string failedFile;
  for (auto &p : programs) {
    int err = Spawn(p);
    if (err != 0) {
      failedErr = err;
      failedFile = p.file;
      break;
    }
  }
  ReadAllUntilClosed(programs, deadline);
  ReapAll(programs, deadline);
  if (failedErr != 0) return ThrowErrno(env, failedErr, "posix_spawn", failedFile);
  Napi::Array results = Napi::Array::New(env, programs.size());
  for (uint32_t i = 0; i < programs.size(); i++) results.Set(i, ResultOf(env, programs[i]));
  return results;
}

}  // namespace

Napi::Value RunPrograms(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  const char *usage = "runPrograms(programs: {file: string, argv: string[]}[], timeoutMs: number)";
  if (info.Length() < 2 || !info[0].IsArray() || !info[1].IsNumber()) return ThrowType(env, usage);
  Napi::Array list = info[0].As<Napi::Array>();
  std::vector<Program> programs(list.Length());
  for (uint32_t i = 0; i < list.Length(); i++) {
    Napi::Value item = list.Get(i);
    if (!item.IsObject()) return ThrowType(env, usage);
    Napi::Object o = item.As<Napi::Object>();
    if (!ReadProgram(o.Get("file"), o.Get("argv"), programs[i])) return ThrowType(env, usage);
  }
  if (programs.empty()) return Napi::Array::New(env, 0);
  return RunAll(env, programs, info[1].As<Napi::Number>().Int64Value());
}
