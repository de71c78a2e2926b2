#!/usr/bin/env bash
# Builds the pinned control-plane binaries (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kubectl, kwok) from the Go module proxy into a cache folder outside the repo.
#
#   tools/control-plane/build.sh              build what is missing, print the bin dir last
#   tools/control-plane/build.sh --print-dir  print the bin dir the pins map to, build nothing
#   tools/control-plane/build.sh --force      rebuild everything for the current pins
#
# Cache: ${KUBEMESH_CACHE:-$HOME/.cache/kubemesh}/control-plane/<key>/bin, where <key> names the
# pinned versions plus a hash of the go.mod/go.sum files, the Go version and this script.
# The bin dir is also written to ${KUBEMESH_CACHE:-$HOME/.cache/kubemesh}/control-plane/current,
# which LocalControlPlane (kubemesh-testing) reads when neither -Dkubemesh.controlPlane.bin
# nor KUBEMESH_CONTROL_PLANE_BIN is set. It also holds kwok-stages.yaml (kwok's default "fast" stages,
# taken from the pinned kwok module) and versions.properties.
#
# Parallelism: GO_BUILD_P (default 2) is passed as `go build -p`. CGO_ENABLED defaults to 0 (static
# binaries). Cold: ~10-18 minutes on 2 shared cores, kube-apiserver first (it compiles most of what
# the others share); warm: well under a second.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_ROOT="${KUBEMESH_CACHE:-$HOME/.cache/kubemesh}/control-plane"
# shellcheck source=../lib/go-build.sh
source "$HERE/../lib/go-build.sh"
parse_mode "$@"

# The pinned version of module $2 in the go.mod of group $1.
pin() { awk -v m="$2" '$1 == "require" && $2 == m { print $3 } $1 == m && $2 ~ /^v/ { print $2 }' "$HERE/$1/go.mod" | head -n1; }

K8S_VERSION="$(pin kubernetes k8s.io/kubernetes)"
ETCD_VERSION="$(pin etcd go.etcd.io/etcd/server/v3)"
KWOK_VERSION="$(pin kwok sigs.k8s.io/kwok)"
GO_VERSION="$(go env GOVERSION)"
for v in K8S_VERSION ETCD_VERSION KWOK_VERSION; do
  [[ -n "${!v}" ]] || { echo "build.sh: could not read $v from the go.mod files under $HERE" >&2; exit 1; }
done

# Version stamps the upstream Makefiles would set; kubectl version and /version report them.
K8S_MINOR="$(echo "$K8S_VERSION" | cut -d. -f2)"
K8S_LDFLAGS="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  K8S_LDFLAGS+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$K8S_MINOR"
  K8S_LDFLAGS+=" -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
done
ETCD_LDFLAGS="-s -w"
KWOK_LDFLAGS="-s -w"

# kwok's default "fast" stages, as kwokctl configures them (heartbeat through node leases).
KWOK_STAGE_FILES="node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml"

export CGO_ENABLED="${CGO_ENABLED:-0}"
# The key covers what decides the binaries: the pins (go.mod/go.sum), the Go version and the recipe
# (ldflags, cgo, stage files); editing comments in this script does not force a rebuild.
RECIPE="recipe=1 cgo=$CGO_ENABLED k8s=[$K8S_LDFLAGS] etcd=[$ETCD_LDFLAGS] kwok=[$KWOK_LDFLAGS] stages=[$KWOK_STAGE_FILES]"
HASH="$(cat "$HERE"/{kubernetes,etcd,kwok}/go.{mod,sum} <(echo "$GO_VERSION $RECIPE") | sha256sum | cut -c1-10)"
KEY="k8s-${K8S_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}_${HASH}"
BIN="$CACHE_ROOT/$KEY/bin"

if [[ "$MODE" == print ]]; then echo "$BIN"; exit 0; fi

# name|module dir|package|ldflags
TARGETS=(
  "etcd|etcd|go.etcd.io/etcd/server/v3|$ETCD_LDFLAGS"
  "kube-apiserver|kubernetes|k8s.io/kubernetes/cmd/kube-apiserver|$K8S_LDFLAGS"
  "kube-controller-manager|kubernetes|k8s.io/kubernetes/cmd/kube-controller-manager|$K8S_LDFLAGS"
  "kube-scheduler|kubernetes|k8s.io/kubernetes/cmd/kube-scheduler|$K8S_LDFLAGS"
  "kubectl|kubernetes|k8s.io/kubernetes/cmd/kubectl|$K8S_LDFLAGS"
  "kwok|kwok|sigs.k8s.io/kwok/cmd/kwok|$KWOK_LDFLAGS"
)

mkdir -p "$BIN"
export GOFLAGS="-mod=mod -buildvcs=false"
GO_BUILD_P="${GO_BUILD_P:-2}"
TOTAL_START=$SECONDS
echo "control plane: kubernetes $K8S_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION, $GO_VERSION" >&2
echo "cache: $BIN" >&2
build_go_binaries "$BIN" "$GO_BUILD_P" "${TARGETS[@]}"

# kwok's controller has no built-in stages (kwokctl writes them); take the default "fast" ones
# from the pinned kwok module: nodes become Ready and keep a lease, pods become Ready, pods owned
# by a Job complete, deleted pods go away.
if [[ "$MODE" == force || ! -s "$BIN/kwok-stages.yaml" ]]; then
  KWOK_DIR="$(cd "$HERE/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)"
  S="$KWOK_DIR/kustomize/stage"
  for f in $KWOK_STAGE_FILES; do
    [[ -s "$S/$f" ]] || { echo "build.sh: kwok stage $S/$f not found" >&2; exit 1; }
    echo "---"; cat "$S/$f"; echo
  done >"$BIN/.kwok-stages.yaml.tmp"
  mv -f "$BIN/.kwok-stages.yaml.tmp" "$BIN/kwok-stages.yaml"
  echo "  kwok-stages.yaml: written from $S" >&2
fi

cat >"$BIN/versions.properties" <<EOF
kubernetes=$K8S_VERSION
etcd=$ETCD_VERSION
kwok=$KWOK_VERSION
go=$GO_VERSION
key=$KEY
EOF
echo "$BIN" >"$CACHE_ROOT/current"
echo "built $BUILT binaries in $((SECONDS - TOTAL_START))s; bin dir written to $CACHE_ROOT/current" >&2
echo "$BIN"
