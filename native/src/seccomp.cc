// The OCI `linux.seccomp` section compiled to a classic BPF program with libseccomp, in the
// parent, before clone: the child only hands the bytes to seccomp(2) (a `seccomp` step).
// The rules follow crun's: a syscall this libseccomp does not know is left out, a rule whose
// action is the default action is left out (libseccomp refuses it), and conditions on the same
// argument are added as separate rules (libseccomp allows one comparison per argument a rule).
#include "seccomp.h"

#include <errno.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmath>
#include <string>
#include <vector>

#include "errors.h"

namespace {

struct Context {
  scmp_filter_ctx ctx = nullptr;
  ~Context() {
    if (ctx) seccomp_release(ctx);
  }
};

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

// errnoRet absent: EPERM, as the runtime spec says.
bool Action(const std::string &name, const Napi::Value &errnoRet, uint32_t *out) {
  uint32_t err = errnoRet.IsNumber() ? errnoRet.As<Napi::Number>().Uint32Value() : EPERM;
  if (name == "SCMP_ACT_ALLOW") *out = SCMP_ACT_ALLOW;
  else if (name == "SCMP_ACT_ERRNO") *out = SCMP_ACT_ERRNO(err);
  else if (name == "SCMP_ACT_KILL" || name == "SCMP_ACT_KILL_THREAD") *out = SCMP_ACT_KILL;
  else if (name == "SCMP_ACT_KILL_PROCESS") *out = SCMP_ACT_KILL_PROCESS;
  else if (name == "SCMP_ACT_TRAP") *out = SCMP_ACT_TRAP;
  else if (name == "SCMP_ACT_TRACE") *out = SCMP_ACT_TRACE(err);
  else if (name == "SCMP_ACT_LOG") *out = SCMP_ACT_LOG;
  else return false;
  return true;
}

bool Operator(const std::string &name, scmp_compare *out) {
  static const struct { const char *name; scmp_compare op; } ops[] = {
      {"SCMP_CMP_NE", SCMP_CMP_NE}, {"SCMP_CMP_LT", SCMP_CMP_LT}, {"SCMP_CMP_LE", SCMP_CMP_LE},
      {"SCMP_CMP_EQ", SCMP_CMP_EQ}, {"SCMP_CMP_GE", SCMP_CMP_GE}, {"SCMP_CMP_GT", SCMP_CMP_GT},
      {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
  };
  for (const auto &o : ops)
    if (name == o.name) { *out = o.op; return true; }
  return false;
}

// A JSON uint64 arrives as a double; past 2^53 it is already rounded, nothing to do about it here.
uint64_t Datum(const Napi::Object &o, const char *key) {
  Napi::Value v = o.Get(key);
  if (!v.IsNumber()) return 0;
  double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d < 0) return 0;
  return d >= 18446744073709551615.0 ? ~0ULL : (uint64_t)d;
}

std::string Str(const Napi::Value &v) { return v.IsString() ? v.As<Napi::String>().Utf8Value() : std::string(); }

// "SCMP_ARCH_X86_64" -> libseccomp's token ("x86_64").
uint32_t Arch(const std::string &name) {
  static const std::string prefix = "SCMP_ARCH_";
  if (name.compare(0, prefix.size(), prefix) != 0) return 0;
  std::string token = name.substr(prefix.size());
  for (char &c : token) c = (char)tolower((unsigned char)c);
  return seccomp_arch_resolve_name(token.c_str());
}

}  // namespace

// compileSeccomp({defaultAction, defaultErrnoRet?, architectures?, syscalls?}) -> Buffer (struct sock_filter[])
Napi::Value CompileSeccomp(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) return ThrowType(env, "compileSeccomp: the seccomp section expected");
  Napi::Object section = info[0].As<Napi::Object>();

  uint32_t defaultAction;
  std::string defaultName = Str(section.Get("defaultAction"));
  if (!Action(defaultName, section.Get("defaultErrnoRet"), &defaultAction))
    return ThrowType(env, "seccomp: unknown defaultAction \"" + defaultName + "\"");
  Context c;
  c.ctx = seccomp_init(defaultAction);
  if (!c.ctx) return ThrowType(env, "seccomp: seccomp_init failed");
  // the program is only exported: which of no_new_privs or CAP_SYS_ADMIN allows loading it is
  // the child's business
  seccomp_attr_set(c.ctx, SCMP_FLTATR_CTL_NNP, 0);
  // a binary tree of syscall numbers rather than one long chain of comparisons: every syscall
  // of the container runs through the program
  seccomp_attr_set(c.ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);

  Napi::Value archValue = section.Get("architectures");
  if (archValue.IsArray()) {
    Napi::Array list = archValue.As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); i++) {
      std::string name = Str(list.Get(i));
      uint32_t arch = Arch(name);
      if (!arch) return ThrowType(env, "seccomp: unknown architecture \"" + name + "\"");
      int r = seccomp_arch_add(c.ctx, arch);
      if (r < 0 && r != -EEXIST) return ThrowErrno(env, -r, "seccomp_arch_add", name);
    }
  }

  Napi::Value callsValue = section.Get("syscalls");
  Napi::Array calls = callsValue.IsArray() ? callsValue.As<Napi::Array>() : Napi::Array::New(env);
  for (uint32_t i = 0; i < calls.Length(); i++) {
    Napi::Object call = calls.Get(i).As<Napi::Object>();
    uint32_t action;
    std::string actionName = Str(call.Get("action"));
    if (!Action(actionName, call.Get("errnoRet"), &action))
      return ThrowType(env, "seccomp: unknown action \"" + actionName + "\"");
    if (action == defaultAction) continue;

    std::vector<scmp_arg_cmp> conditions;
    bool sameArgTwice = false;
    Napi::Value argsValue = call.Get("args");
    if (argsValue.IsArray()) {
      Napi::Array args = argsValue.As<Napi::Array>();
      for (uint32_t a = 0; a < args.Length(); a++) {
        Napi::Object arg = args.Get(a).As<Napi::Object>();
        scmp_compare op;
        std::string opName = Str(arg.Get("op"));
        if (!Operator(opName, &op)) return ThrowType(env, "seccomp: unknown operator \"" + opName + "\"");
        unsigned int index = (unsigned int)Datum(arg, "index");
        if (index > 5) return ThrowType(env, "seccomp: argument index " + std::to_string(index) + " out of range");
        for (const auto &seen : conditions) sameArgTwice = sameArgTwice || seen.arg == index;
        conditions.push_back(scmp_arg_cmp{index, op, Datum(arg, "value"), Datum(arg, "valueTwo")});
      }
    }

    Napi::Value namesValue = call.Get("names");
    Napi::Array names = namesValue.IsArray() ? namesValue.As<Napi::Array>() : Napi::Array::New(env);
    for (uint32_t n = 0; n < names.Length(); n++) {
      std::string name = Str(names.Get(n));
      int nr = seccomp_syscall_resolve_name(name.c_str());
      if (nr == __NR_SCMP_ERROR) continue;  // not a syscall this libseccomp knows (crun does the same)
      int r;
      if (!sameArgTwice) {
        r = seccomp_rule_add_array(c.ctx, action, nr, (unsigned int)conditions.size(), conditions.data());
      } else {
        r = 0;
        for (const auto &cond : conditions)
          if ((r = seccomp_rule_add_array(c.ctx, action, nr, 1, &cond)) < 0) break;
      }
      if (r < 0) return ThrowErrno(env, -r, "seccomp_rule_add", name);
    }
  }

  Fd out;
  out.fd = memfd_create("tspod-seccomp", MFD_CLOEXEC);
  if (out.fd < 0) return ThrowErrno(env, errno, "memfd_create");
  int r = seccomp_export_bpf(c.ctx, out.fd);
  if (r < 0) return ThrowErrno(env, -r, "seccomp_export_bpf");
  off_t size = lseek(out.fd, 0, SEEK_END);
  if (size < 0) return ThrowErrno(env, errno, "lseek");
  Napi::Buffer<uint8_t> program = Napi::Buffer<uint8_t>::New(env, (size_t)size);
  size_t done = 0;
  while (done < (size_t)size) {
    ssize_t n = pread(out.fd, program.Data() + done, (size_t)size - done, (off_t)done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return ThrowErrno(env, n < 0 ? errno : EIO, "pread");
    done += (size_t)n;
  }
  return program;
}
