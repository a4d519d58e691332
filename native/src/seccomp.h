#ifndef TSPOD_SECCOMP_H
#define TSPOD_SECCOMP_H
#include <napi.h>
Napi::Value CompileSeccomp(const Napi::CallbackInfo &info);
#endif
