#!/usr/bin/env bash
# Fetches the real tools the end-to-end tests check our output with, as Debian
# packages unpacked into a git-ignored folder of the project. Nothing on the
# system changes: apt runs with a private state directory, and each .deb is
# unpacked with dpkg-deb -x, never installed. Run again, it does nothing unless
# a tool is missing (the versions are checked).
#
#   bookworm: docker-registry 2.8.2 (CNCF distribution), skopeo 1.9.3
#   trixie:   cosign 2.5.0 (legacy .sig format, as Flux <= 2.7), oras 1.2.0
#   sid:      cosign 3.1.x (Sigstore bundles, as Flux >= 2.8)
#
# Result: $FLEETPACK_TOOLS_DIR/bin/{docker-registry,skopeo,cosign,cosign3,oras}
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${FLEETPACK_TOOLS_DIR:-$ROOT/.cache/test-tools}"
BIN="$DEST/bin"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

# Bump this when a pinned version changes: a cache with another stamp is refetched.
STAMP="docker-registry=2.8.2 skopeo=1.9.3 cosign=2.5.0 oras=1.2.0 cosign3=3.1"

have_all() {
  [[ -f "$DEST/stamp" && "$(cat "$DEST/stamp")" == "$STAMP" ]] &&
    "$BIN/docker-registry" --version >/dev/null 2>&1 &&
    "$BIN/skopeo" --version >/dev/null 2>&1 &&
    "$BIN/cosign" version >/dev/null 2>&1 &&
    "$BIN/cosign3" version >/dev/null 2>&1 &&
    "$BIN/oras" version >/dev/null 2>&1
}

if have_all; then
  exit 0
fi
rm -rf "$DEST/root-bookworm" "$DEST/root-trixie" "$DEST/root-sid" "$DEST/debs" "$DEST/apt" "$BIN" "$DEST/stamp"

if [[ ! -r "$KEYRING" ]]; then
  echo "install-test-tools: $KEYRING is missing; install debian-archive-keyring" >&2
  exit 1
fi

mkdir -p "$BIN"
echo "install-test-tools: fetching test tools into $DEST" >&2

# apt_for SUITE: prints the apt options of a private state directory for SUITE.
apt_for() {
  local suite="$1" dir="$DEST/apt/$1"
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/etc"
  echo "deb [signed-by=$KEYRING] $MIRROR $suite main" >"$dir/etc/sources.list"
  echo "-o Dir::Etc::SourceList=$dir/etc/sources.list -o Dir::Etc::SourceParts=/nonexistent" \
    "-o Dir::State::Lists=$dir/lists -o Dir::Cache=$dir/cache -o Dir::State::status=/var/lib/dpkg/status" \
    "-o APT::Sandbox::User=root -o Debug::NoLocking=1 -qq"
}

# fetch SUITE PACKAGE[=VERSION]...: downloads and unpacks into $DEST/root-SUITE.
fetch() {
  local suite="$1"
  shift
  local opts debs="$DEST/debs/$suite"
  opts="$(apt_for "$suite")"
  # shellcheck disable=SC2086
  apt-get $opts update
  mkdir -p "$debs"
  # shellcheck disable=SC2086
  (cd "$debs" && apt-get $opts download "$@")
  for deb in "$debs"/*.deb; do
    dpkg-deb -x "$deb" "$DEST/root-$suite"
  done
}

# skopeo links against libgpgme, which a minimal machine may lack: fetch it and
# its closest dependencies too, and run skopeo through a wrapper that finds them.
fetch bookworm docker-registry=2.8.2+ds1-1 skopeo=1.9.3+ds1-1+b10 \
  libgpgme11 libassuan0 libgpg-error0 libdevmapper1.02.1
fetch trixie cosign=2.5.0-2+b5 oras=1.2.0-1+b9
fetch sid cosign
check_deb() { # suite package version-prefix
  local deb
  deb="$(ls "$DEST/debs/$1/$2"_*.deb)"
  [[ "$(dpkg-deb -f "$deb" Version)" == "$3"* ]] || {
    echo "install-test-tools: $1 has $(basename "$deb"), the tests expect $2 $3" >&2
    exit 1
  }
}
check_deb sid cosign 3.1.

BOOKWORM_LIBS="$DEST/root-bookworm/usr/lib/x86_64-linux-gnu:$DEST/root-bookworm/lib/x86_64-linux-gnu"
cat >"$BIN/skopeo" <<WRAPPER
#!/bin/sh
LD_LIBRARY_PATH="$BOOKWORM_LIBS\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$DEST/root-bookworm/usr/bin/skopeo" "\$@"
WRAPPER
chmod +x "$BIN/skopeo"
ln -sf "$DEST/root-bookworm/usr/bin/docker-registry" "$BIN/docker-registry"
ln -sf "$DEST/root-trixie/usr/bin/cosign" "$BIN/cosign"
ln -sf "$DEST/root-trixie/usr/bin/oras" "$BIN/oras"
ln -sf "$DEST/root-sid/usr/bin/cosign" "$BIN/cosign3"
rm -rf "$DEST/apt" "$DEST/debs/"*/partial
echo "$STAMP" >"$DEST/stamp"

if ! have_all; then
  echo "install-test-tools: a tool is missing or has an unexpected version:" >&2
  for t in docker-registry skopeo; do "$BIN/$t" --version 2>&1 | head -1 >&2 || true; done
  for t in cosign cosign3 oras; do "$BIN/$t" version 2>&1 | tail -1 >&2 || true; done
  exit 1
fi
echo "install-test-tools: ready in $BIN" >&2
