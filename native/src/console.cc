// The parent's side of a container's terminal: receive the pty master the child sends over the
// console socket, and set the terminal's window size.
#include "console.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "errors.h"

// receiveFd(socket) -> fd (the child has sent it before exec, so this does not wait)
Napi::Value ReceiveFd(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) return ThrowType(env, "receiveFd: socket fd expected");
  int sock = info[0].As<Napi::Number>().Int32Value();
  char byte;
  struct iovec iov = {&byte, 1};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } control;
  struct msghdr msg;
  memset(&msg, 0, sizeof msg);
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.buf;
  msg.msg_controllen = sizeof control.buf;
  ssize_t n;
  do n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);
  if (n < 0) return ThrowErrno(env, errno, "recvmsg");
  struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
  if (n == 0 || !cmsg || cmsg->cmsg_type != SCM_RIGHTS) return ThrowErrno(env, EPROTO, "recvmsg");
  int fd;
  memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
  return Napi::Number::New(env, fd);
}

// setWinsize(fd, rows, cols)
Napi::Value SetWinsize(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsNumber() || !info[1].IsNumber() || !info[2].IsNumber())
    return ThrowType(env, "setWinsize: fd, rows and cols expected");
  struct winsize ws;
  memset(&ws, 0, sizeof ws);
  ws.ws_row = (unsigned short)info[1].As<Napi::Number>().Uint32Value();
  ws.ws_col = (unsigned short)info[2].As<Napi::Number>().Uint32Value();
  if (ioctl(info[0].As<Napi::Number>().Int32Value(), TIOCSWINSZ, &ws) < 0) return ThrowErrno(env, errno, "ioctl TIOCSWINSZ");
  return env.Undefined();
}
