#ifndef TSPOD_RUN_PROGRAM_H
#define TSPOD_RUN_PROGRAM_H
#include <napi.h>
Napi::Value RunPrograms(const Napi::CallbackInfo &info);
#endif
