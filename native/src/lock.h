#ifndef TSPOD_LOCK_H
#define TSPOD_LOCK_H
#include <napi.h>
Napi::Value TryLock(const Napi::CallbackInfo &info);
#endif
