/* The failure report of the child and of tspod-exec-helper: one `struct tspod_report` written to
 * tspod's sync socket, with async-signal-safe calls only (both run where no lock may be taken). */
#ifndef TSPOD_REPORT_H
#define TSPOD_REPORT_H

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "child.h"

static inline void tspod_copy_str(char *dst, size_t size, const char *src) {
  size_t i = 0;
  if (src)
    for (; i + 1 < size && src[i]; i++) dst[i] = src[i];
  dst[i] = '\0';
}

static inline void tspod_write_all(int fd, const void *buf, size_t len) {
  const char *p = (const char *)buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    p += n;
    len -= (size_t)n;
  }
}

static inline void tspod_send_report(int fd, int err, const char *step, const char *detail) {
  struct tspod_report report;
  memset(&report, 0, sizeof report);
  report.err = err;
  tspod_copy_str(report.step, sizeof report.step, step);
  tspod_copy_str(report.detail, sizeof report.detail, detail);
  tspod_write_all(fd, &report, sizeof report);
}

#endif
