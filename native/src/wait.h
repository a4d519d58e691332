#ifndef TSPOD_WAIT_H
#define TSPOD_WAIT_H
#include <napi.h>
Napi::Value WaitPid(const Napi::CallbackInfo &info);
#endif
