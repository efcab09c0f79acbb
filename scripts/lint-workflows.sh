#!/usr/bin/env bash
# Lints .github/workflows with actionlint, built once from the Go module proxy into a cache outside
# the repository (like scripts/build-engine.sh). Where Go or the build is unavailable it prints one
# skip line and exits 0: the lint is a guard for authors, not a reason for CI to go red.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=v1.7.12
DIR=${ACTIONLINT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cto-metal/actionlint}/$VERSION
BIN=$DIR/actionlint

if [[ ! -x $BIN ]]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "workflow lint skipped: go is not installed (it builds actionlint $VERSION once, into $DIR)"
    exit 0
  fi
  mkdir -p "$DIR"
  if ! GOBIN=$DIR CGO_ENABLED=0 GOFLAGS=-buildvcs=false go install "github.com/rhysd/actionlint/cmd/actionlint@$VERSION" >"$DIR/build.log" 2>&1; then
    echo "workflow lint skipped: could not build actionlint $VERSION from the Go module proxy (see $DIR/build.log)"
    exit 0
  fi
fi

# shellcheck runs on every `run:` script when it is on PATH; actionlint skips it otherwise.
"$BIN" -no-color .github/workflows/*.yml
echo "workflow lint passed: actionlint $VERSION on $(ls .github/workflows/*.yml | wc -l) workflow(s)"
