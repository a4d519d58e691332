// runProgram(file, argv, timeoutMs) -> {code, signal, stderr, timedOut}: run a short helper program
// (newuidmap, newgidmap) to completion, synchronously. posix_spawn uses vfork, which costs well
// under a millisecond even from a large process; Node's child_process forks and sets up a loop
// handle, about 5 ms a program. stdin and stdout are /dev/null; stderr is captured. A program
// still running after timeoutMs is killed with SIGKILL.
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

// Read the child's stderr until it closes it or the deadline passes; false on timeout.
bool ReadUntilClosed(int fd, long long deadline, std::string &out) {
  char buf[4096];
  for (;;) {
    long long left = deadline - NowMs();
    if (left <= 0) return false;
    struct pollfd p = {fd, POLLIN, 0};
    int n = poll(&p, 1, (int)left);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) return false;  // the deadline passed
    if (n < 0) return true;    // nothing more can be read
    ssize_t got = read(fd, buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return true;
    if (out.size() < 65536) out.append(buf, (size_t)got);
  }
}

}  // namespace

Napi::Value RunProgram(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsString() || !info[1].IsArray() || !info[2].IsNumber())
    return ThrowType(env, "runProgram(file: string, argv: string[], timeoutMs: number)");
  std::string file = info[0].As<Napi::String>().Utf8Value();
  Napi::Array array = info[1].As<Napi::Array>();
  std::vector<std::string> args;
  for (uint32_t i = 0; i < array.Length(); i++) args.push_back(array.Get(i).ToString().Utf8Value());
  std::vector<char *> argv;
  for (auto &a : args) argv.push_back(const_cast<char *>(a.c_str()));
  argv.push_back(nullptr);

  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) < 0) return ThrowErrno(env, errno, "pipe2");
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
  pid_t pid;
  int err = posix_spawn(&pid, file.c_str(), &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(pipefd[1]);
  if (err != 0) {
    close(pipefd[0]);
    return ThrowErrno(env, err, "posix_spawn", file);
  }

  std::string stderrText;
  long long deadline = NowMs() + (long long)info[2].As<Napi::Number>().Int64Value();
  bool inTime = ReadUntilClosed(pipefd[0], deadline, stderrText);
  close(pipefd[0]);
  int status = 0;
  // A program that closed stderr is about to exit; one that outlives the deadline is killed.
  while (inTime) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno != EINTR)) break;
    if (NowMs() >= deadline) inTime = false;
    else {
      struct timespec pause = {0, 100000};
      nanosleep(&pause, nullptr);
    }
  }
  if (!inTime) {
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }

  Napi::Object result = Napi::Object::New(env);
  result.Set("code", WIFEXITED(status) ? Napi::Value(Napi::Number::New(env, WEXITSTATUS(status))) : env.Null());
  result.Set("signal", WIFSIGNALED(status) ? Napi::Value(Napi::Number::New(env, WTERMSIG(status))) : env.Null());
  result.Set("stderr", Napi::String::New(env, stderrText));
  result.Set("timedOut", Napi::Boolean::New(env, !inTime));
  return result;
}
