#ifndef TSPOD_SPAWN_H
#define TSPOD_SPAWN_H
#include <napi.h>
Napi::Value Spawn(const Napi::CallbackInfo &info);
#endif
