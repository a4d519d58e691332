#ifndef TSPOD_DATAGRAM_H
#define TSPOD_DATAGRAM_H
#include <napi.h>
Napi::Value SendDatagram(const Napi::CallbackInfo &info);
#endif
