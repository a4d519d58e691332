#ifndef TSPOD_XATTR_H
#define TSPOD_XATTR_H
#include <napi.h>
Napi::Value GetXattr(const Napi::CallbackInfo &info);
Napi::Value SetXattr(const Napi::CallbackInfo &info);
#endif
