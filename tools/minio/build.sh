#!/usr/bin/env bash
# Builds the pinned MinIO server (`minio`) and client (`mc`) from the Go module proxy into a cache folder
# outside the repo, for kubemesh-minio's real-engine tests (tag "real-engine").
#
#   tools/minio/build.sh              build what is missing, print the bin dir last
#   tools/minio/build.sh --print-dir  print the bin dir the pins map to, build nothing
#   tools/minio/build.sh --force      rebuild both for the current pins
#
# Licences: github.com/minio/minio and github.com/minio/mc are AGPL-3.0. They are built unmodified and run
# by the tests as separate processes; kubemesh never links or ships them (kubemesh only names their images).
#
# Cache: ${KUBEMESH_CACHE:-$HOME/.cache/kubemesh}/minio/<key>/bin, where <key> names the pinned releases plus
# a hash of the go.mod/go.sum files, the Go version and the build recipe. The bin dir is also written to
# ${KUBEMESH_CACHE:-$HOME/.cache/kubemesh}/minio/current, which the tests read when neither
# -Dkubemesh.minio.bin nor KUBEMESH_MINIO_BIN is set.
#
# Parallelism: GO_BUILD_P (default 1) is passed as `go build -p`; the build machines are small and shared.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_ROOT="${KUBEMESH_CACHE:-$HOME/.cache/kubemesh}/minio"
# shellcheck source=../lib/go-build.sh
source "$HERE/../lib/go-build.sh"
parse_mode "$@"

# The release tags and their commits. Neither module has semver tags, so each go.mod pins the pseudo-version
# of the release commit; the check below keeps this table and the go.mod files in step. The same releases are
# the images named in kubemesh-minio's MinioVersions (quay.io/minio/minio, quay.io/minio/mc).
MINIO_RELEASE="RELEASE.2025-09-07T16-13-09Z"
MINIO_COMMIT="07c3a429bfed433e49018cb0f78a52145d4bedeb"
MC_RELEASE="RELEASE.2025-08-13T08-35-41Z"
MC_COMMIT="7394ce0dd2a80935aded936b09fa12cbb3cb8096"

# The pinned version of module $2 in the go.mod of group $1.
pin() { awk -v m="$2" '$1 == "require" && $2 == m { print $3 } $1 == m && $2 ~ /^v/ { print $2 }' "$HERE/$1/go.mod" | head -n1; }
MINIO_VERSION="$(pin server github.com/minio/minio)"
MC_VERSION="$(pin mc github.com/minio/mc)"
GO_VERSION="$(go env GOVERSION)"
[[ "$MINIO_VERSION" == *-"${MINIO_COMMIT:0:12}" ]] || { echo "build.sh: server/go.mod pins '$MINIO_VERSION', not commit $MINIO_COMMIT of $MINIO_RELEASE" >&2; exit 1; }
[[ "$MC_VERSION" == *-"${MC_COMMIT:0:12}" ]] || { echo "build.sh: mc/go.mod pins '$MC_VERSION', not commit $MC_COMMIT of $MC_RELEASE" >&2; exit 1; }

# "2025-09-07T16-13-09Z" -> "2025-09-07T16:13:09Z", the form upstream's gen-ldflags.go stamps as cmd.Version.
stamp() { local t="${1#RELEASE.}"; echo "${t:0:13}:${t:14:2}:${t:17:3}"; }
# Upstream's buildscripts/gen-ldflags.go sets these; `minio --version` and `mc --version` report them.
ldflags() { # $1 = Go package of cmd, $2 = release tag, $3 = commit
  echo "-s -w -X $1.Version=$(stamp "$2") -X $1.ReleaseTag=$2 -X $1.CommitID=$3 -X $1.ShortCommitID=${3:0:12} -X $1.CopyrightYear=2025"
}

# name|module dir|package|ldflags
TARGETS=(
  "minio|server|github.com/minio/minio|$(ldflags github.com/minio/minio/cmd "$MINIO_RELEASE" "$MINIO_COMMIT")"
  "mc|mc|github.com/minio/mc|$(ldflags github.com/minio/mc/cmd "$MC_RELEASE" "$MC_COMMIT")"
)

export CGO_ENABLED="${CGO_ENABLED:-0}"
# The key covers what decides the binaries: the pins (go.mod/go.sum), the Go version and the recipe (targets with
# their ldflags, cgo); editing comments in this script does not force a rebuild.
HASH="$(cat "$HERE"/{server,mc}/go.{mod,sum} <(echo "$GO_VERSION cgo=$CGO_ENABLED ${TARGETS[*]}") | sha256sum | cut -c1-10)"
KEY="minio-${MINIO_RELEASE#RELEASE.}_mc-${MC_RELEASE#RELEASE.}_${HASH}"
BIN="$CACHE_ROOT/$KEY/bin"

if [[ "$MODE" == print ]]; then echo "$BIN"; exit 0; fi

export GOFLAGS="-mod=mod -buildvcs=false"
# sum.golang.org had no record of the mc pseudo-version when it was pinned (404); its hash is in mc/go.sum.
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}github.com/minio/mc"
P="${GO_BUILD_P:-1}"
TOTAL_START=$SECONDS
echo "minio: server $MINIO_RELEASE ($MINIO_VERSION), mc $MC_RELEASE ($MC_VERSION), $GO_VERSION, go build -p $P" >&2
echo "cache: $BIN" >&2
build_go_binaries "$BIN" "$P" "${TARGETS[@]}"
for name in minio mc; do echo "  $name: $("$BIN/$name" --version 2>&1 | head -n1)" >&2; done

cat >"$BIN/versions.properties" <<PROPS
minio=$MINIO_RELEASE
minio.commit=$MINIO_COMMIT
minio.module=github.com/minio/minio@$MINIO_VERSION
mc=$MC_RELEASE
mc.commit=$MC_COMMIT
mc.module=github.com/minio/mc@$MC_VERSION
go=$GO_VERSION
key=$KEY
PROPS
echo "$BIN" >"$CACHE_ROOT/current"
echo "built $BUILT binaries in $((SECONDS - TOTAL_START))s; bin dir written to $CACHE_ROOT/current" >&2
echo "$BIN"
