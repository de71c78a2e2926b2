#!/usr/bin/env bash
# Builds the pinned CNCF distribution registry (`registry`, github.com/distribution/distribution/v3/cmd/registry)
# from the Go module proxy into a cache folder outside the repo, for kubemesh-registry's real-engine tests
# (JUnit tag "real-engine").
#
#   tools/registry/build.sh              build what is missing, print the bin dir last
#   tools/registry/build.sh --print-dir  print the bin dir the pins map to, build nothing
#   tools/registry/build.sh --force      rebuild for the current pins
#
# Licence: github.com/distribution/distribution is Apache-2.0. It is built unmodified and run by the tests as a
# separate process; kubemesh only names its image.
#
# Cache: ${KUBEMESH_CACHE:-$HOME/.cache/kubemesh}/registry/<key>/bin, where <key> names the pinned release plus
# a hash of go.mod/go.sum, the Go version and the build recipe. The bin dir is also written to
# ${KUBEMESH_CACHE:-$HOME/.cache/kubemesh}/registry/current, which the tests read when neither
# -Dkubemesh.registry.bin nor KUBEMESH_REGISTRY_BIN is set.
#
# Parallelism: GO_BUILD_P (default 1) is passed as `go build -p`; the build machines are small and shared.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_ROOT="${KUBEMESH_CACHE:-$HOME/.cache/kubemesh}/registry"
# shellcheck source=../lib/go-build.sh
source "$HERE/../lib/go-build.sh"
parse_mode "$@"

# The one version table: this release is also the image kubemesh-registry names (RegistryVersions.IMAGE,
# registry:3.0.0); RegistryVersionsTest checks the two stay in step.
RELEASE="v3.0.0"
MODULE="github.com/distribution/distribution/v3"
PKG="$MODULE/cmd/registry"

VERSION="$(awk -v m="$MODULE" '$1 == "require" && $2 == m { print $3 } $1 == m && $2 ~ /^v/ { print $2 }' "$HERE/go.mod" | head -n1)"
GO_VERSION="$(go env GOVERSION)"
[[ "$VERSION" == "$RELEASE" ]] || { echo "build.sh: go.mod pins $MODULE '$VERSION', not $RELEASE" >&2; exit 1; }

# What upstream's Makefile stamps (GO_LDFLAGS); `registry --version` reports it.
LDFLAGS="-s -w -X $MODULE/version.version=$RELEASE -X $MODULE/version.mainpkg=$MODULE"
export CGO_ENABLED="${CGO_ENABLED:-0}"

# The key covers what decides the binary: the pins (go.mod/go.sum), the Go version and the recipe (ldflags, cgo);
# editing comments in this script does not force a rebuild.
HASH="$(cat "$HERE"/go.{mod,sum} <(echo "$GO_VERSION cgo=$CGO_ENABLED $LDFLAGS") | sha256sum | cut -c1-10)"
KEY="distribution-${RELEASE}_${HASH}"
BIN="$CACHE_ROOT/$KEY/bin"

if [[ "$MODE" == print ]]; then echo "$BIN"; exit 0; fi

export GOFLAGS="-mod=mod -buildvcs=false"
P="${GO_BUILD_P:-1}"
START=$SECONDS
echo "registry: $MODULE $RELEASE, $GO_VERSION, go build -p $P" >&2
echo "cache: $BIN" >&2
build_go_binaries "$BIN" "$P" "registry|.|$PKG|$LDFLAGS"
echo "  registry: $("$BIN/registry" --version 2>&1 | head -n1)" >&2

cat >"$BIN/versions.properties" <<PROPS
registry=$RELEASE
registry.module=$MODULE@$VERSION
go=$GO_VERSION
key=$KEY
PROPS
echo "$BIN" >"$CACHE_ROOT/current"
echo "built $BUILT binaries in $((SECONDS - START))s; bin dir written to $CACHE_ROOT/current" >&2
echo "$BIN"
