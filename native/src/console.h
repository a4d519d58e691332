#ifndef TSPOD_CONSOLE_H
#define TSPOD_CONSOLE_H
#include <napi.h>
Napi::Value ReceiveFd(const Napi::CallbackInfo &info);
Napi::Value SetWinsize(const Napi::CallbackInfo &info);
#endif
