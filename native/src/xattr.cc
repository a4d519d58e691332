// Extended attributes on paths (never following a final symlink): file capabilities of
// newuidmap/newgidmap, and later overlay's user.overlay.* attributes.
#include "xattr.h"

#include <errno.h>
#include <sys/xattr.h>

#include <vector>

#include "errors.h"

// lgetxattr(path, name) -> Buffer | null (null when the attribute is absent)
Napi::Value GetXattr(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsString())
    return ThrowType(env, "getxattr: path and name expected");
  std::string path = info[0].As<Napi::String>().Utf8Value();
  std::string name = info[1].As<Napi::String>().Utf8Value();
  ssize_t size = lgetxattr(path.c_str(), name.c_str(), nullptr, 0);
  if (size < 0) {
    if (errno == ENODATA || errno == ENOTSUP) return env.Null();
    return ThrowErrno(env, errno, "lgetxattr", path);
  }
  std::vector<char> buf((size_t)size + 1);
  size = lgetxattr(path.c_str(), name.c_str(), buf.data(), buf.size());
  if (size < 0) return ThrowErrno(env, errno, "lgetxattr", path);
  return Napi::Buffer<char>::Copy(env, buf.data(), (size_t)size);
}

// lsetxattr(path, name, value: Buffer | string)
Napi::Value SetXattr(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsString() || !info[1].IsString())
    return ThrowType(env, "setxattr: path, name and value expected");
  std::string path = info[0].As<Napi::String>().Utf8Value();
  std::string name = info[1].As<Napi::String>().Utf8Value();
  std::string value;
  if (info[2].IsBuffer()) {
    auto b = info[2].As<Napi::Buffer<char>>();
    value.assign(b.Data(), b.Length());
  } else {
    value = info[2].ToString().Utf8Value();
  }
  if (lsetxattr(path.c_str(), name.c_str(), value.data(), value.size(), 0) < 0)
    return ThrowErrno(env, errno, "lsetxattr", path);
  return env.Undefined();
}
