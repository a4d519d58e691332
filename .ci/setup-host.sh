#!/usr/bin/env bash
# Prepare this Debian host for tspod and its test suite (run as root; idempotent):
# the apt packages, and the rootless test users with their /etc/subuid and /etc/subgid ranges.
set -euo pipefail

[ "$(id -u)" = 0 ] || { echo "setup-host: run as root (sudo bash .ci/setup-host.sh)" >&2; exit 1; }

# uidmap: newuidmap/newgidmap. busybox-static: test image rootfs. docker-registry: the real
# registry the tests push to and pull from; apache2-utils (htpasswd) and openssl give it users and
# a TLS certificate for the login and push tests. acl: getfacl/setfacl for permission tests.
# podman, skopeo, umoci: the real thing, only to compare with in tests and benchmarks. crun,
# runc: the external OCI runtimes of --runtime (and the differential tests).
# time: GNU time, for the peak RSS in benchmarks. catatonit: the init process of --init (as Podman).
# gcc: cc, for tspod-monitor (native/monitor); libc6-dev: libc.a, for the static tspod-exec-helper
# (native/exec-helper); g++ for the addon. libseccomp-dev: the addon compiles seccomp profiles
# with libseccomp (native/src/seccomp.cc). netavark, aardvark-dns: named networks (`network create`,
# `--network NAME`) run Debian's netavark in the rootless network namespace, which starts
# aardvark-dns for container names, as Podman 4 does. passt: pasta, `--network pasta`. zstd:
# zstd layers are decompressed by Debian's zstd. iperf3: bench/net.js.
PACKAGES=(uidmap busybox-static libseccomp-dev docker-registry apache2-utils openssl acl podman crun skopeo umoci fuse-overlayfs slirp4netns netavark aardvark-dns passt catatonit runc time zstd python3 iperf3 make gcc libc6-dev g++)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup-host: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The rootless test user (main mode of the suite): a subordinate id range and a supplementary
# group, and a second user without ranges for the single-mapping fallback.
TEST_USER=tspoduser
NOSUB_USER=tspodnosub
SUPP_GROUP=tspodstor
getent group "$SUPP_GROUP" >/dev/null || groupadd "$SUPP_GROUP"
id "$TEST_USER" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash --user-group "$TEST_USER"
id "$NOSUB_USER" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash --user-group "$NOSUB_USER"
usermod -a -G "$SUPP_GROUP" "$TEST_USER"

# Ranges that do not overlap any other entry: start above every existing range.
ensure_range() { # file user
  local file=$1 user=$2
  touch "$file"
  grep -q "^$user:" "$file" && return 0
  local next
  next=$(awk -F: 'BEGIN{m=100000} NF==3 && $2+$3>m {m=$2+$3} END{print m}' "$file")
  echo "$user:$next:65536" >>"$file"
}
ensure_range /etc/subuid "$TEST_USER"
ensure_range /etc/subgid "$TEST_USER"
sed -i "/^$NOSUB_USER:/d" /etc/subuid /etc/subgid

# slirp4netns (rootless networking, tspod's and Podman's) opens /dev/net/tun as the user. Debian's
# udev makes it 0666 (safe: creating a tap needs CAP_NET_ADMIN over the network namespace it goes
# in), but a container-made /dev, as on these CI machines, has it root-only 0600 or lacks it.
if [ ! -c /dev/net/tun ]; then
  echo "setup-host: creating /dev/net/tun"
  install -d -m 0755 /dev/net
  mknod -m 0666 /dev/net/tun c 10 200
fi
chmod 0666 /dev/net/tun

# Each user gets an XDG_RUNTIME_DIR as systemd-logind would make it (no logind here).
for u in "$TEST_USER" "$NOSUB_USER"; do
  uid=$(id -u "$u")
  install -d -m 0700 -o "$u" -g "$(id -gn "$u")" "/run/user/$uid"
done

# The test users run this checkout's bin/run.js: every dir above it must be searchable by them.
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=$repo
while [ "$dir" != / ]; do
  if ! setpriv --reuid "$(id -u "$TEST_USER")" --regid "$(id -g "$TEST_USER")" --init-groups test -x "$dir" 2>/dev/null; then
    echo "setup-host: chmod o+x $dir (so that $TEST_USER can reach $repo)"
    chmod o+x "$dir"
  fi
  dir=$(dirname "$dir")
done

# The `tspod` command on every user's PATH: this checkout's entry script, linked as `npm link`
# would link it, without touching npm's global tree. The checkout set up last wins.
ln -sfn "$repo/bin/run.js" /usr/local/bin/tspod
