#!/usr/bin/env bash
# Builds tools/talos-validate, the judge of the Talos machine configs the program renders (machinery
# v1.13.0, as the talos plugin 0.8.1 renders them; see tools/talos-validate/main.go), into a cache outside
# the repository keyed by the machinery version and a hash of the module's go.mod, go.sum and Go sources
# (tests excluded): a source change rebuilds, an unchanged tree is found without running go at all.
#
# Usage: scripts/build-talos-validate.sh
# Prints the binary's absolute path on its last line; logs go to stderr. TALOS_VALIDATE_ROOT overrides
# the cache root. Needs go (1.26.x; go.mod asks for no newer toolchain) and the Go module proxy on a
# cold module cache.
set -euo pipefail

MACHINERY_VERSION=v1.13.0

REPO=$(cd "$(dirname "$0")/.." && pwd)
MODULE=$REPO/tools/talos-validate
ROOT=${TALOS_VALIDATE_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/cto-metal/talos-validate-$MACHINERY_VERSION}

log() { printf '[build-talos-validate %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# The key: each source file's path and content hash, in a stable order.
source_key() {
  (cd "$MODULE" && find . -type f \( -name go.mod -o -name go.sum -o \( -name '*.go' ! -name '*_test.go' \) \) -print0 |
    LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16
}

KEY=$(source_key)
OUT=$ROOT/$KEY/talos-validate

if [[ -x $OUT ]]; then
  log "talos-validate $KEY up to date"
else
  log "building talos-validate (machinery $MACHINERY_VERSION, sources $KEY)"
  mkdir -p "$ROOT/$KEY"
  start=$SECONDS
  # -mod=readonly: go.mod and go.sum are sources, never rewritten by a build. GOTOOLCHAIN=local: no
  # toolchain download, the go on PATH must satisfy go.mod's go line.
  (cd "$MODULE" && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-buildvcs=false \
    go build -mod=readonly -trimpath -ldflags "-s -w" -o "$OUT.tmp.$$" .)
  mv "$OUT.tmp.$$" "$OUT"
  log "  took $((SECONDS - start)) s"
fi

echo "$OUT"
