// waitPid(pid) -> Promise<{code, signal}>, without blocking the event loop or a libuv worker:
// libuv does not reap children it did not spawn, so we watch a pidfd on the loop and reap the
// child ourselves when it becomes readable (the process has exited).
#include "wait.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include "errors.h"

namespace {

struct Waiter {
  uv_poll_t poll;
  int pidfd;
  pid_t pid;
  napi_env env;
  Napi::Promise::Deferred deferred;
  Napi::AsyncContext context;

  Waiter(napi_env e, pid_t p, int fd)
      : pidfd(fd), pid(p), env(e), deferred(Napi::Promise::Deferred::New(e)), context(e, "tspod:waitpid") {}
};

void OnClosed(uv_handle_t *handle) {
  Waiter *w = static_cast<Waiter *>(handle->data);
  close(w->pidfd);
  delete w;
}

void Settle(Waiter *w, int status, int err) {
  Napi::Env env(w->env);
  Napi::HandleScope scope(env);
  Napi::CallbackScope callbackScope(env, w->context);
  if (err) {
    Napi::Error error = Napi::Error::New(env, std::string("waitpid: ") + strerror(err));
    error.Set("code", Napi::String::New(env, uv_err_name(-err)));
    error.Set("syscall", Napi::String::New(env, "waitpid"));
    w->deferred.Reject(error.Value());
  } else {
    Napi::Object result = Napi::Object::New(env);
    if (WIFSIGNALED(status)) {
      result.Set("code", env.Null());
      result.Set("signal", Napi::Number::New(env, WTERMSIG(status)));
    } else {
      result.Set("code", Napi::Number::New(env, WEXITSTATUS(status)));
      result.Set("signal", env.Null());
    }
    w->deferred.Resolve(result);
  }
}

void OnReadable(uv_poll_t *handle, int status, int events) {
  Waiter *w = static_cast<Waiter *>(handle->data);
  int wstatus = 0;
  pid_t r;
  do r = waitpid(w->pid, &wstatus, WNOHANG);
  while (r < 0 && errno == EINTR);
  if (r == 0) return;  // not yet reapable (spurious wake-up)
  int err = r < 0 ? errno : 0;
  uv_poll_stop(handle);
  Settle(w, wstatus, err);
  uv_close(reinterpret_cast<uv_handle_t *>(handle), OnClosed);
}

}  // namespace

Napi::Value WaitPid(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) return ThrowType(env, "waitPid: pid expected");
  pid_t pid = info[0].As<Napi::Number>().Int32Value();
  int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  if (pidfd < 0) return ThrowErrno(env, errno, "pidfd_open");

  uv_loop_t *loop = nullptr;
  napi_get_uv_event_loop(env, &loop);
  Waiter *w = new Waiter(env, pid, pidfd);
  w->poll.data = w;
  Napi::Promise promise = w->deferred.Promise();
  int rc = uv_poll_init(loop, &w->poll, pidfd);
  if (rc == 0) rc = uv_poll_start(&w->poll, UV_READABLE, OnReadable);
  if (rc != 0) {
    close(pidfd);
    delete w;
    return ThrowErrno(env, -rc, "uv_poll_start");
  }
  return promise;
}
