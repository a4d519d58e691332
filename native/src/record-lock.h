#ifndef TSPOD_RECORD_LOCK_H
#define TSPOD_RECORD_LOCK_H
#include <napi.h>
Napi::Value TryRecordLock(const Napi::CallbackInfo &info);
#endif
