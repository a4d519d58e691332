// Record locks for another program's lock files: containers/storage locks its store files with
// fcntl(2) record locks (F_SETLKW over the whole file), which do not see flock(2) locks at all.
// Open file description locks (F_OFD_SETLK) conflict with those across processes, and belong
// to the fd like a flock, so closing it releases them. Non-blocking, as TryLock: the caller polls.
#include "record-lock.h"

#include <errno.h>
#include <fcntl.h>

#include "errors.h"

// tryRecordLock(fd, mode: 'shared' | 'exclusive' | 'unlock') -> true once held (or released),
// false when another process (or open file description) holds a conflicting lock.
Napi::Value TryRecordLock(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsString())
    return ThrowType(env, "tryRecordLock: fd and mode expected");
  int fd = info[0].As<Napi::Number>().Int32Value();
  std::string mode = info[1].As<Napi::String>().Utf8Value();
  struct flock lk = {};
  if (mode == "shared") lk.l_type = F_RDLCK;
  else if (mode == "exclusive") lk.l_type = F_WRLCK;
  else if (mode == "unlock") lk.l_type = F_UNLCK;
  else return ThrowType(env, "tryRecordLock: mode must be shared, exclusive or unlock");
  lk.l_whence = SEEK_SET;  // l_start 0, l_len 0: the whole file, as containers/storage locks it
  for (;;) {
    if (fcntl(fd, F_OFD_SETLK, &lk) == 0) return Napi::Boolean::New(env, true);
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EACCES) return Napi::Boolean::New(env, false);
    return ThrowErrno(env, errno, "fcntl F_OFD_SETLK");
  }
}
