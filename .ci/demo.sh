#!/usr/bin/env bash
# Show tspod working for a newcomer, as the rootless user made by setup-host.sh: the host and
# store facts, then a busybox image built locally from Debian's busybox-static, loaded, listed and run.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
user=tspoduser
uid=$(id -u "$user")
home=$(getent passwd "$user" | cut -d: -f6)
as_user() {
  setpriv --reuid "$uid" --regid "$(id -g "$user")" --init-groups -- \
    env -i HOME="$home" USER="$user" PATH=/usr/bin:/bin XDG_RUNTIME_DIR="/run/user/$uid" "$@"
}
tspod() { as_user node -- "$repo/bin/run.js" "$@"; }

echo "\$ tspod info   (as $user)"
tspod info --format \
  'rootless: {{.Host.Security.Rootless}}
uid map: {{range .Host.IDMappings.UIDMap}}{{.container_id}}:{{.host_id}}:{{.size}} {{end}}
gid map: {{range .Host.IDMappings.GIDMap}}{{.container_id}}:{{.host_id}}:{{.size}} {{end}}
setgroups: {{.Host.SubordinateIds.Setgroups}}
graph root: {{.Store.GraphRoot}}
native overlay in a user namespace: {{.Store.NativeOverlay.Native}}'

archive=$(mktemp -d)/busybox.tar
node "$repo/.ci/build-demo-image.js" "$archive" localhost/busybox:latest
chmod 755 "$(dirname "$archive")" && chmod 644 "$archive"
echo
echo "\$ tspod load -i busybox.tar && tspod images   (as $user)"
tspod load -q -i "$archive"
tspod images
rm -rf "$(dirname "$archive")"

echo
echo "\$ tspod run --rm busybox sh -c 'id; cat /proc/self/uid_map'   (as $user)"
tspod run --rm busybox sh -c 'id; cat /proc/self/uid_map'

echo
echo "\$ tspod run -d --name demo busybox sh -c 'echo hello from a detached container; sleep 600'"
echo "\$ tspod ps; tspod exec demo hostname; tspod logs demo; tspod rm -f -t 0 demo   (as $user)"
tspod rm -f -t 0 demo >/dev/null 2>&1 || true
tspod run -d --name demo busybox sh -c 'echo hello from a detached container; sleep 600' >/dev/null
tspod ps
tspod exec demo hostname
sleep 0.3
tspod logs demo
tspod rm -f -t 0 demo >/dev/null
