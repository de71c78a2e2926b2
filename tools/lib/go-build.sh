# Shared by tools/*/build.sh (sourced, not run): argument handling and building pinned Go binaries into the cache.
# shellcheck shell=bash

# parse_mode "$@" sets MODE: build (default: build what is missing), print (--print-dir) or force (--force).
parse_mode() {
  MODE=build
  case "${1:-}" in
    --print-dir) MODE=print ;;
    --force) MODE=force ;;
    "") ;;
    *) echo "usage: $0 [--print-dir|--force]" >&2; exit 2 ;;
  esac
  command -v go >/dev/null || { echo "build.sh: 'go' not found on PATH" >&2; exit 1; }
}

# build_go_binaries BIN P TARGET... builds each TARGET, "name|module dir under \$HERE|package|ldflags", with
# `go build -p P` into BIN. A binary that is present is skipped unless MODE=force. Each build prints its time;
# a failed one prints go's output and exits 1. Sets BUILT to the number of binaries built.
build_go_binaries() {
  local bin="$1" p="$2" t name dir pkg ldflags start log
  shift 2
  BUILT=0
  mkdir -p "$bin"
  for t in "$@"; do
    IFS='|' read -r name dir pkg ldflags <<<"$t"
    if [[ "$MODE" != force && -x "$bin/$name" ]]; then
      echo "  $name: present, skipped" >&2
      continue
    fi
    start=$SECONDS
    log="$(mktemp)"
    echo "  $name: building $pkg ..." >&2
    if ! (cd "$HERE/$dir" && go build -p "$p" -trimpath -ldflags "$ldflags" -o "$bin/.$name.tmp" "$pkg") \
        >"$log" 2>&1; then
      echo "build.sh: FAILED to build $name ($pkg) in $HERE/$dir after $((SECONDS - start))s; go said:" >&2
      cat "$log" >&2
      rm -f "$log" "$bin/.$name.tmp"
      exit 1
    fi
    rm -f "$log"
    mv -f "$bin/.$name.tmp" "$bin/$name"
    BUILT=$((BUILT + 1))
    echo "  $name: built in $((SECONDS - start))s ($(du -h "$bin/$name" | cut -f1))" >&2
  done
}
