// One datagram to an AF_UNIX SOCK_DGRAM socket (Node has none): sd_notify's protocol, where
// $NOTIFY_SOCKET is a path or, with a leading '@', a name in the abstract namespace.
#include "datagram.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "errors.h"

// sendDatagram(socketPath: string, message: Buffer | string)
Napi::Value SendDatagram(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString())
    return ThrowType(env, "sendDatagram: socket path and message expected");
  std::string path = info[0].As<Napi::String>().Utf8Value();
  std::string message;
  if (info[1].IsBuffer()) {
    auto b = info[1].As<Napi::Buffer<char>>();
    message.assign(b.Data(), b.Length());
  } else {
    message = info[1].ToString().Utf8Value();
  }
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof(addr));
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(addr.sun_path)) return ThrowErrno(env, ENAMETOOLONG, "sendto", path);
  memcpy(addr.sun_path, path.data(), path.size());
  if (path[0] == '@') addr.sun_path[0] = '\0';  // abstract: no terminating NUL counted
  socklen_t length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + path.size() + (path[0] == '@' ? 0 : 1));
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return ThrowErrno(env, errno, "socket");
  ssize_t sent = sendto(fd, message.data(), message.size(), MSG_NOSIGNAL, (struct sockaddr *)&addr, length);
  int err = errno;
  close(fd);
  if (sent < 0) return ThrowErrno(env, err, "sendto", path);
  return env.Undefined();
}
