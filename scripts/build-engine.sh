#!/usr/bin/env bash
# Builds the Pulumi engine from the Go module proxy, for machines without get.pulumi.com or GitHub:
# the CLI, a Node.js language host, the dynamic-provider launcher and the provider plugins, into a
# version-keyed cache outside the repository. Idempotent: what is built is not built again.
# With internet access, use the official install instead: https://www.pulumi.com/docs/iac/download-install/
# What works where, and why: docs/offline-engine.md.
#
# Usage: scripts/build-engine.sh [cli|talos|command|all]   (default: cli; all = cli talos command)
# Prints the root on its last line; PULUMI_OFFLINE_ROOT overrides it. Needs go and node.
set -euo pipefail

PULUMI_VERSION=3.259.0
TALOS_VERSION=0.8.1
TALOS_MODULE_VERSION=v0.0.0-20260729090710-1b5d2525bc89            # pulumiverse/pulumi-talos v0.8.1
COMMAND_VERSION=1.2.1
COMMAND_COMMIT=7f3eb6f3b77cd0fa3895ba437a695dd393f7dd25            # pulumi/pulumi-command v1.2.1
TF_PLUGIN_SDK_FORK=v2.0.0-20260318212141-5525259d096b

ROOT=${PULUMI_OFFLINE_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/cto-metal/pulumi-$PULUMI_VERSION}
WORK=$ROOT/build
BIN=$ROOT/bin
PROVIDERS=$ROOT/providers
mkdir -p "$WORK" "$BIN" "$PROVIDERS"
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false

log() { printf '[build-engine %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
timed() {
  local start=$SECONDS status=0
  "$@" || status=$?
  log "  took $((SECONDS - start)) s"
  return $status
}

REPO=$(cd "$(dirname "$0")/.." && pwd)

build_cli() {
  if [[ -x $BIN/pulumi ]] && [[ $("$BIN/pulumi" version 2>/dev/null) == "v$PULUMI_VERSION" ]]; then
    log "CLI v$PULUMI_VERSION already built"
  else
    build_cli_binary
  fi
  install_language_host
  install_dynamic_provider_launcher
}

build_cli_binary() {
  local dir=$WORK/engine
  mkdir -p "$dir"
  cat >"$dir/go.mod" <<GOMOD
module cto-metal/offline-engine

go 1.25.11

require (
	github.com/pulumi/pulumi/pkg/v3 v$PULUMI_VERSION
	github.com/pulumi/pulumi/sdk/v3 v$PULUMI_VERSION
)

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
GOMOD
  log "resolving the CLI modules (pkg/v3 and sdk/v3 $PULUMI_VERSION)"
  (cd "$dir" && go get -tool "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$PULUMI_VERSION" &&
    go get "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION")
  local ld="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
  log "building pulumi (several minutes on 2 cores)"
  (cd "$dir" && timed go build -trimpath -tags osusergo,grpcnotrace -ldflags "$ld" -o "$BIN/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  mv "$BIN/pulumi.tmp" "$BIN/pulumi"
  log "$("$BIN/pulumi" version)"
}

# The official Go host (module github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3)
# is untagged and the proxy serves no pseudo-version of it, so scripts/engine/languageHost.ts
# stands in, compiled here; it loads grpc and the protos from the program's node_modules.
install_language_host() {
  local lib=$ROOT/lib source=$REPO/scripts/engine/languageHost.ts
  local stamp
  stamp=$(sha256sum "$source" | cut -c1-16)
  if [[ -f $lib/languageHost.js && $(cat "$lib/languageHost.stamp" 2>/dev/null) == "$stamp" ]]; then
    log "language host up to date"
  else
    log "compiling the Node.js language host"
    mkdir -p "$lib"
    (cd "$REPO" && npx --no-install tsc "$source" --outDir "$lib" --module commonjs --target ES2022 --types node --skipLibCheck --esModuleInterop)
    echo "$stamp" >"$lib/languageHost.stamp"
  fi
  cat >"$BIN/pulumi-language-nodejs" <<HOST
#!/bin/sh
exec node "$lib/languageHost.js" "\$@"
HOST
  chmod 755 "$BIN/pulumi-language-nodejs"
}

# The dynamic-provider launcher: runs the program's own @pulumi/pulumi dynamic provider host.
# Keep the name: the engine shows a plugin's output only for this exact binary name.
install_dynamic_provider_launcher() {
  cat >"$BIN/pulumi-resource-pulumi-nodejs" <<'SHIM'
#!/bin/sh
entry=$(node -e "process.stdout.write(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))" 2>/dev/null) || {
  echo "pulumi-resource-pulumi-nodejs: @pulumi/pulumi is not installed in $(pwd); run npm ci" >&2
  exit 1
}
exec node "$entry" "$@"
SHIM
  chmod 755 "$BIN/pulumi-resource-pulumi-nodejs"
}

# Bridged providers embed a schema generated at release time and absent from the module zip:
# build a wrapper main next to a copy of upstream's, with the schema stamped with the version.
build_bridged() {
  local name=$1 version=$2 module=$3 module_version=$4 version_var=$5 extra_require=$6 extra_replace=$7 embeds=$8
  local out=$PROVIDERS/pulumi-resource-$name
  if [[ -x $out ]]; then log "$name $version already built"; return; fi
  local dir=$WORK/$name
  rm -rf "$dir" && mkdir -p "$dir/cmd/pulumi-resource-$name"
  cat >"$dir/go.mod" <<GOMOD
module cto-metal/offline-$name

go 1.26.2

require (
	$module $module_version
	$extra_require
)

replace github.com/hashicorp/terraform-plugin-sdk/v2 => github.com/pulumi/terraform-plugin-sdk/v2 $TF_PLUGIN_SDK_FORK
$extra_replace
GOMOD
  log "downloading $module@$module_version"
  local src json
  if ! json=$(cd "$dir" && go mod download -json "$module@$module_version" 2>&1); then
    log "SKIPPED $name $version: the Go module proxy does not serve $module@$module_version (see docs/offline-engine.md)"
    log "  ${json//$'\n'/ }"
    return 0
  fi
  src=$(node -e 'const j=JSON.parse(process.argv[1]);if(j.Error){console.error(j.Error);process.exit(1)}process.stdout.write(j.Dir)' "$json") || {
    log "SKIPPED $name $version: $json"; return 0; }
  local main_dir=$dir/cmd/pulumi-resource-$name
  cp "$src/cmd/pulumi-resource-$name/main.go" "$main_dir/"
  for file in $embeds; do cp "$src/cmd/pulumi-resource-$name/$file" "$main_dir/"; done
  node -e 'const fs=require("fs");const [src,dst,v]=process.argv.slice(1);const s=JSON.parse(fs.readFileSync(src,"utf8"));s.version=v;fs.writeFileSync(dst,JSON.stringify(s))' \
    "$src/cmd/pulumi-resource-$name/schema.json" "$main_dir/schema-embed.json" "$version"
  chmod -R u+w "$dir"
  (cd "$dir" && go mod tidy)
  log "building pulumi-resource-$name $version"
  (cd "$dir" && timed go build -trimpath -ldflags "-s -w -X $version_var=$version" -o "$out" "./cmd/pulumi-resource-$name")
}

build_talos() {
  build_bridged talos "$TALOS_VERSION" github.com/pulumiverse/pulumi-talos/provider "$TALOS_MODULE_VERSION" \
    github.com/pulumiverse/pulumi-talos/provider/pkg/version.Version "" "" "bridge-metadata.json"
}

build_command() {
  local out=$PROVIDERS/pulumi-resource-command
  if [[ -x $out ]]; then log "command $COMMAND_VERSION already built"; return; fi
  log "building pulumi-resource-command $COMMAND_VERSION"
  if ! timed env GOBIN="$PROVIDERS" go install -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi-command/provider/pkg/version.Version=v$COMMAND_VERSION" \
    "github.com/pulumi/pulumi-command/provider/cmd/pulumi-resource-command@$COMMAND_COMMIT"; then
    log "SKIPPED command $COMMAND_VERSION: the Go module proxy does not serve its provider module (see docs/offline-engine.md)"
  fi
}

targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(cli)
[[ ${targets[0]} != all ]] || targets=(cli talos command)
for target in "${targets[@]}"; do
  case $target in
    cli) build_cli ;;
    talos) build_talos ;;
    command) build_command ;;
    kubernetes | github) log "$target: not built (its schema-generation step and module need GitHub; see docs/offline-engine.md)" ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
  esac
done
log "done: $ROOT"
echo "$ROOT"
