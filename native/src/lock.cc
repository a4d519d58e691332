// File locks for the store and for containers (see docs/design/locking.md): flock(2) on an fd
// the caller opened. A flock belongs to the open file description, so it is released when the
// last fd on it is closed, and so when the process dies, however it dies; and two opens of one
// file in the same process exclude each other like two processes do. Only the non-blocking form
// is offered: a blocking flock would hold one of libuv's few pool threads (or the main thread)
// for as long as another process keeps the lock, so the caller polls with a short backoff.
#include "lock.h"

#include <errno.h>
#include <sys/file.h>

#include "errors.h"

// tryLock(fd, mode: 'shared' | 'exclusive' | 'unlock') -> true once held (or released), false
// when another open file description holds a conflicting lock.
Napi::Value TryLock(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsString())
    return ThrowType(env, "tryLock: fd and mode expected");
  int fd = info[0].As<Napi::Number>().Int32Value();
  std::string mode = info[1].As<Napi::String>().Utf8Value();
  int op;
  if (mode == "shared") op = LOCK_SH | LOCK_NB;
  else if (mode == "exclusive") op = LOCK_EX | LOCK_NB;
  else if (mode == "unlock") op = LOCK_UN;
  else return ThrowType(env, "tryLock: mode must be shared, exclusive or unlock");
  for (;;) {
    if (flock(fd, op) == 0) return Napi::Boolean::New(env, true);
    if (errno == EINTR) continue;
    if (errno == EWOULDBLOCK) return Napi::Boolean::New(env, false);
    return ThrowErrno(env, errno, "flock");
  }
}
