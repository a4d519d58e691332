#!/usr/bin/env bash
# Show tspod working for a newcomer: as the rootless user made by setup-host.sh.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
user=tspoduser
uid=$(id -u "$user")
as_user() {
  setpriv --reuid "$uid" --regid "$(id -g "$user")" --init-groups -- \
    env -i HOME="$(getent passwd "$user" | cut -d: -f6)" USER="$user" PATH=/usr/bin:/bin XDG_RUNTIME_DIR="/run/user/$uid" "$@"
}
echo "\$ tspod info   (as $user)"
as_user node "$repo/bin/run.js" info --format \
  'rootless: {{.Host.Security.Rootless}}
uid map: {{range .Host.IDMappings.UIDMap}}{{.container_id}}:{{.host_id}}:{{.size}} {{end}}
gid map: {{range .Host.IDMappings.GIDMap}}{{.container_id}}:{{.host_id}}:{{.size}} {{end}}
setgroups: {{.Host.SubordinateIds.Setgroups}}
graph root: {{.Store.GraphRoot}}
native overlay in a user namespace: {{.Store.NativeOverlay.Native}}'
