// File-system calls Node lacks: mknod, for the kernel-style overlay whiteouts (char 0/0) and the
// fifos that layer unpacking creates.
#include "fs.h"

#include <errno.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "errors.h"

// mknod(path, mode, dev): mode holds the file type (S_IFCHR, S_IFIFO, ...) and permission bits;
// dev is the encoded device number (makedev), 0 for whiteouts and fifos. Never follows a final
// symlink: an existing path fails with EEXIST.
Napi::Value Mknod(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsString() || !info[1].IsNumber() || !info[2].IsNumber())
    return ThrowType(env, "mknod: path, mode and dev expected");
  std::string path = info[0].As<Napi::String>().Utf8Value();
  mode_t mode = (mode_t)info[1].As<Napi::Number>().Uint32Value();
  dev_t dev = (dev_t)info[2].As<Napi::Number>().Int64Value();
  if (mknod(path.c_str(), mode, dev) < 0) return ThrowErrno(env, errno, "mknod", path);
  return env.Undefined();
}
