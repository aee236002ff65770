#!/usr/bin/env bash
# Builds the 32-bit MicroPython unix port from Debian trixie's `micropython` source package
# and caches it under the user's cache directory, keyed by version. Prints the binary's path.
#
# With --x86-64, builds the same port 64-bit instead (same options, cached apart): the bench
# counts instructions with valgrind, which runs native programs only, and some kernels cannot
# run 32-bit ones (the runtime tests then run the 32-bit port under qemu-i386).
#
# Frozen into the port, as a board's firmware has its own built in, so that their code and names
# take none of the heap the device code under test is given:
#   - the stand-ins for `machine` and `network` that the runtime tests import (test/runtime/sim/);
#   - the simulated board program (generator/simulate/py/: the block device over the image file,
#     the mount, the commands), which stands in for a board's flash driver and boot, with
#     gen_ota_board.SOURCES, the sha256 of its sources, by which generator/simulate/board.ts
#     knows the frozen copy is the one it would load (BOARD_MODULES there: same files, same order).
# The cache is keyed by the MicroPython version and a hash of every frozen source.
#
# The trixie source line goes into a private apt configuration (its own sources file and
# lists directory); the archive host is read from this machine's own apt sources.
set -euo pipefail

SUITE=trixie
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/gen-ota"
APT_DIR="$CACHE_ROOT/apt-$SUITE"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SIM_DIR="$HERE/sim"
SIM_MODULES=(sim_machine.py sim_network.py sim_timer.py)
BOARD_DIR="$(cd "$HERE/../../generator/simulate/py" && pwd)"
BOARD_MODULES=(board.py flash_dev.py board_tools.py sim_board.py simhost.py)
log() { echo "build-micropython: $*" >&2; }

ARCH=x86-32
case "${1:-}" in
  "") ;;
  --x86-64) ARCH=x86-64 ;;
  *) log "usage: build-micropython.sh [--x86-64]"; exit 2 ;;
esac

archive_host() {
  # First Debian archive URI in the machine's sources (deb822 or one-line format), not security.
  local uri
  uri=$( (cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2}'; \
          grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}') \
        | grep -v security | grep -i debian | head -1)
  [ -n "$uri" ] || { log "no Debian archive found in /etc/apt sources"; exit 1; }
  echo "$uri"
}

apt_private() {
  apt-get -o Dir::Etc::SourceList="$APT_DIR/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::State::Lists="$APT_DIR/lists" -o Dir::Cache="$APT_DIR/cache" \
    -o Debug::NoLocking=1 -q "$@"
}

ensure_packages() {
  local missing=()
  local compiler=gcc-multilib
  [ "$ARCH" = x86-64 ] && compiler=gcc
  for pkg in "$compiler" dpkg-dev pkg-config python3; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    apt-get -q update >&2 && DEBIAN_FRONTEND=noninteractive apt-get -q install -y "${missing[@]}" >&2
  fi
}

fetch_source() {
  # a source already fetched (for the other build) is the one to build: both are the same version
  ls "$APT_DIR/src"/micropython_*.dsc >/dev/null 2>&1 && return 0
  mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial" "$APT_DIR/src"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-trixie-stable.gpg] $(archive_host) $SUITE main" \
    > "$APT_DIR/sources.list"
  apt_private update >&2
  (cd "$APT_DIR/src" && apt_private source --download-only micropython >&2)
}

# A 32-bit build runs directly where the kernel has IA32 emulation; elsewhere through qemu-i386
# (Debian's qemu-user), which generator/simulate/launcher.ts picks up by itself. A 64-bit one
# runs directly or not at all.
ensure_runs() {
  "$1" -c pass >/dev/null 2>&1 && return 0
  [ "$ARCH" = x86-64 ] && { log "cannot run $1"; exit 1; }
  command -v "${GEN_OTA_QEMU:-qemu-i386}" >/dev/null 2>&1 || {
    log "this kernel cannot run 32-bit programs: installing qemu-user"
    apt-get -q update >&2 && DEBIAN_FRONTEND=noninteractive apt-get -q install -y qemu-user >&2
  }
  "${GEN_OTA_QEMU:-qemu-i386}" "$1" -c pass >/dev/null 2>&1 || { log "cannot run $1, directly or through qemu-i386"; exit 1; }
}

quoted() { printf '"%s", ' "$@"; }

board_sources_sha256() {
  (cd "$BOARD_DIR" && cat "${BOARD_MODULES[@]}") | sha256sum | cut -c1-64
}

# First 12 hex digits of a sha256 over every frozen source, so that changing one rebuilds.
frozen_key() {
  { (cd "$SIM_DIR" && cat "${SIM_MODULES[@]}"); board_sources_sha256; } | sha256sum | cut -c1-12
}

# The manifest of what is frozen, written into `$1` with gen_ota_board.py beside it.
write_manifest() {
  local dir=$1
  echo "SOURCES = \"$(board_sources_sha256)\"" > "$dir/gen_ota_board.py"
  {
    echo "freeze(\"$SIM_DIR\", ($(quoted "${SIM_MODULES[@]}")))"
    echo "freeze(\"$BOARD_DIR\", ($(quoted "${BOARD_MODULES[@]}")))"
    echo "freeze(\"$dir\", (\"gen_ota_board.py\",))"
  } > "$dir/manifest.py"
}

source_version() {
  ls "$APT_DIR/src"/micropython_*.dsc | sed -E 's/.*micropython_([^-]+).*\.dsc/\1/' | sort -V | tail -1
}

main() {
  if [ "$ARCH" = x86-32 ] && [ -n "${GEN_OTA_MICROPYTHON:-}" ] && [ -x "$GEN_OTA_MICROPYTHON" ]; then ensure_runs "$GEN_OTA_MICROPYTHON"; echo "$GEN_OTA_MICROPYTHON"; exit 0; fi
  local existing
  local key
  key="$ARCH-frozen-$(frozen_key)"
  existing=$(ls -d "$CACHE_ROOT"/micropython-*-"$key"/micropython 2>/dev/null | sort -V | tail -1 || true)
  if [ -n "$existing" ] && [ -x "$existing" ]; then ensure_runs "$existing"; echo "$existing"; exit 0; fi

  ensure_packages
  fetch_source
  local version out work
  version=$(source_version)
  out="$CACHE_ROOT/micropython-$version-$key"
  work=$(mktemp -d)
  log "building MicroPython $version (unix port, $ARCH) in $work"
  dpkg-source --no-check -x "$APT_DIR/src"/micropython_"$version"*.dsc "$work/src" >&2
  make -C "$work/src/mpy-cross" -j"$(nproc)" >&2
  mkdir -p "$work/frozen" && write_manifest "$work/frozen"
  local bits=()
  [ "$ARCH" = x86-32 ] && bits=(MICROPY_FORCE_32BIT=1)
  make -C "$work/src/ports/unix" -j"$(nproc)" ${bits[@]+"${bits[@]}"} FROZEN_MANIFEST="$work/frozen/manifest.py" \
    MICROPY_PY_BTREE=0 MICROPY_PY_FFI=0 MICROPY_PY_SSL=0 MICROPY_SSL_AXTLS=0 MICROPY_SSL_MBEDTLS=0 \
    MICROPY_VFS_FAT=1 MICROPY_VFS_LFS2=1 >&2
  mkdir -p "$out.tmp"
  cp "$work/src/ports/unix/build-standard/micropython" "$out.tmp/micropython"
  rm -rf "$out" && mv "$out.tmp" "$out"   # publish the cache entry only once complete
  rm -rf "$work"
  ensure_runs "$out/micropython"
  echo "$out/micropython"
}

main "$@"
