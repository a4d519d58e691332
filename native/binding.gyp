{
  "targets": [
    {
      "target_name": "tspod",
      "sources": ["src/addon.cc", "src/console.cc", "src/spawn.cc", "src/wait.cc", "src/xattr.cc", "src/datagram.cc", "src/fs.cc", "src/run-program.cc", "src/seccomp.cc", "src/lock.cc", "src/record-lock.cc", "src/child.c"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "_GNU_SOURCE"],
      "cflags": ["-fvisibility=hidden", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "cflags_cc": ["-fvisibility=hidden", "-std=c++17", "-Wall", "-Wno-unused-parameter"],
      "libraries": ["-lseccomp"]
    }
  ]
}
