#ifndef TSPOD_FS_H
#define TSPOD_FS_H
#include <napi.h>
Napi::Value Mknod(const Napi::CallbackInfo &info);
#endif
