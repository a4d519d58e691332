// Registration only; see spawn.cc (the namespace primitive), wait.cc (reaping its children),
// run-program.cc (short helper programs), seccomp.cc (a profile to BPF), xattr.cc and
// datagram.cc (sd_notify messages).
#include <napi.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "fs.h"
#include "lock.h"
#include "record-lock.h"
#include "console.h"
#include "datagram.h"
#include "run-program.h"
#include "seccomp.h"
#include "spawn.h"
#include "wait.h"
#include "xattr.h"

namespace {

Napi::Object Constants(Napi::Env env) {
  Napi::Object c = Napi::Object::New(env);
#define CONSTANT(name) c.Set(#name, Napi::Number::New(env, (double)(name)))
  CONSTANT(MS_RDONLY); CONSTANT(MS_NOSUID); CONSTANT(MS_NODEV); CONSTANT(MS_NOEXEC);
  CONSTANT(MS_REMOUNT); CONSTANT(MS_BIND); CONSTANT(MS_MOVE); CONSTANT(MS_REC);
  CONSTANT(MS_PRIVATE); CONSTANT(MS_SLAVE); CONSTANT(MS_SHARED); CONSTANT(MS_STRICTATIME);
  CONSTANT(MS_RELATIME); CONSTANT(MS_NOATIME);
  CONSTANT(MNT_DETACH);
  CONSTANT(S_IFCHR); CONSTANT(S_IFBLK); CONSTANT(S_IFIFO);
#undef CONSTANT
  return c;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("spawn", Napi::Function::New(env, Spawn, "spawn"));
  exports.Set("waitPid", Napi::Function::New(env, WaitPid, "waitPid"));
  exports.Set("getxattr", Napi::Function::New(env, GetXattr, "getxattr"));
  exports.Set("setxattr", Napi::Function::New(env, SetXattr, "setxattr"));
  exports.Set("mknod", Napi::Function::New(env, Mknod, "mknod"));
  exports.Set("receiveFd", Napi::Function::New(env, ReceiveFd, "receiveFd"));
  exports.Set("runPrograms", Napi::Function::New(env, RunPrograms, "runPrograms"));
  exports.Set("compileSeccomp", Napi::Function::New(env, CompileSeccomp, "compileSeccomp"));
  exports.Set("tryLock", Napi::Function::New(env, TryLock, "tryLock"));
  exports.Set("tryRecordLock", Napi::Function::New(env, TryRecordLock, "tryRecordLock"));
  exports.Set("setWinsize", Napi::Function::New(env, SetWinsize, "setWinsize"));
  exports.Set("sendDatagram", Napi::Function::New(env, SendDatagram, "sendDatagram"));
  exports.Set("constants", Constants(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(tspod, Init)
