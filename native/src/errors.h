#ifndef TSPOD_ERRORS_H
#define TSPOD_ERRORS_H

#include <napi.h>
#include <uv.h>
#include <cstring>
#include <string>

// Throw an error shaped like Node's own system errors (code, errno, syscall, path), so native
// and fs failures go through the same mapping in JavaScript.
inline Napi::Value ThrowErrno(Napi::Env env, int err, const char *syscall, const std::string &path = "") {
  std::string message = std::string(syscall) + ": " + strerror(err);
  if (!path.empty()) message += " `" + path + "`";
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, uv_err_name(-err)));
  error.Set("errno", Napi::Number::New(env, -err));
  error.Set("syscall", Napi::String::New(env, syscall));
  if (!path.empty()) error.Set("path", Napi::String::New(env, path));
  error.ThrowAsJavaScriptException();
  return env.Undefined();
}

inline Napi::Value ThrowType(Napi::Env env, const std::string &message) {
  Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
  return env.Undefined();
}

#endif
