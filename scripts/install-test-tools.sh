#!/usr/bin/env bash
# Fetches the real tools the end-to-end tests check our output with, as Debian
# packages unpacked into a git-ignored folder of the project. Nothing on the
# system changes: apt runs with a private state directory and a private, empty
# dpkg status (so whatever the machine has installed, from whichever suite,
# never becomes apt's candidate), and each .deb is unpacked with dpkg-deb -x,
# never installed. Run again, it does nothing unless a tool is missing.
#
#   tool             release (+ its -updates and -security suites)   accepted versions
#   docker-registry  bookworm                                          2.8.x (CNCF distribution)
#   skopeo           bookworm (+ libgpgme11 and its closest deps)      1.x
#   cosign           trixie                                            2.5.x (legacy .sig, as Flux <= 2.7)
#   oras             trixie                                            1.2.x
#   kustomize        trixie                                            5.x (the validation gate)
#   cosign3          sid                                               3.x (Sigstore bundles, as Flux >= 2.8)
#
# Versions are ranges, checked on the .deb after download, not exact Debian
# revisions: mirrors drop old revisions, and security updates add new ones.
# The Debian mirror is the one the machine's own apt sources name (or
# DEBIAN_MIRROR / DEBIAN_SECURITY_MIRROR when they name none, e.g. on Ubuntu).
#
# Result: $FLEETPACK_TOOLS_DIR/bin/{docker-registry,skopeo,cosign,cosign3,oras}
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${FLEETPACK_TOOLS_DIR:-$ROOT/.cache/test-tools}"
BIN="$DEST/bin"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# Bump when a range changes: a cache with another stamp is fetched again.
STAMP="ranges: docker-registry 2.8 skopeo 1 cosign 2.5 oras 1.2 kustomize 5 cosign3 3"

say() { echo "install-test-tools: $*" >&2; }
die() {
  say "$*"
  exit 1
}

have_all() {
  [[ -f "$DEST/stamp" && "$(cat "$DEST/stamp")" == "$STAMP" ]] &&
    "$BIN/docker-registry" --version >/dev/null 2>&1 &&
    "$BIN/skopeo" --version >/dev/null 2>&1 &&
    "$BIN/cosign" version >/dev/null 2>&1 &&
    "$BIN/cosign3" version >/dev/null 2>&1 &&
    "$BIN/oras" version >/dev/null 2>&1 &&
    "$BIN/kustomize" version >/dev/null 2>&1
}

if have_all; then
  exit 0
fi

[[ -r "$KEYRING" ]] || die "$KEYRING is missing: install the package debian-archive-keyring (apt-get install debian-archive-keyring), then run again"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
  die "apt-get and dpkg-deb are needed to fetch the test tools (a Debian or Ubuntu machine); install them, or fetch the tools yourself into $BIN"

# The machine's Debian mirrors, read from its apt sources (one-line and deb822
# formats): prints "URI SUITE" for every source.
apt_sources() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -r "$f" ]] || continue
    sed -E 's/#.*//; s/\[[^]]*\]//' "$f" | awk '$1 == "deb" { print $2, $3 }'
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -r "$f" ]] || continue
    # deb822: blank-line separated stanzas with URIs: and Suites: fields.
    awk 'BEGIN { RS = ""; FS = "\n" }
      {
        uris = ""; suites = ""; deb = 0
        for (i = 1; i <= NF; i++) {
          line = $i; sub(/#.*/, "", line)
          if (line ~ /^Types:/ && line ~ /(^|[ \t])deb([ \t]|$)/) deb = 1
          if (line ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", line); uris = line }
          if (line ~ /^Suites:/) { sub(/^Suites:[ \t]*/, "", line); suites = line }
        }
        if (!deb) next
        n = split(uris, u, /[ \t]+/); m = split(suites, s, /[ \t]+/)
        for (i = 1; i <= n; i++) for (j = 1; j <= m; j++) if (u[i] != "" && s[j] != "") print u[i], s[j]
      }' "$f"
  done
}
DEBIAN_SUITES='^(buster|bullseye|bookworm|trixie|forky|sid|oldstable|stable|testing|unstable)(-updates|-backports)?$'
MIRROR="${DEBIAN_MIRROR:-$(apt_sources | awk -v re="$DEBIAN_SUITES" '$2 ~ re { print $1; exit }')}"
SECURITY_MIRROR="${DEBIAN_SECURITY_MIRROR:-$(apt_sources | awk '$2 ~ /-security$/ && $1 ~ /debian/ { print $1; exit }')}"
[[ -n "$MIRROR" ]] || die "the machine's apt sources name no Debian mirror (is this Ubuntu?): set DEBIAN_MIRROR to a Debian mirror's URL (the form https://HOST/debian) and run again"
if [[ -z "$SECURITY_MIRROR" && "$MIRROR" == */debian ]]; then
  SECURITY_MIRROR="${MIRROR}-security" # the layout every Debian mirror of the security archive uses
fi
MIRROR="${MIRROR%/}"
SECURITY_MIRROR="${SECURITY_MIRROR%/}"

rm -rf "$DEST/root-"* "$DEST/debs" "$DEST/apt" "$BIN" "$DEST/stamp" "$DEST/versions"
mkdir -p "$BIN"
say "fetching test tools into $DEST from $MIRROR${SECURITY_MIRROR:+ (security: $SECURITY_MIRROR)}"

# retry COMMAND...: a transient mirror error (a reset, a 5xx, a half-synced
# mirror) gets two more tries, 5 and 15 seconds later.
retry() {
  local attempt
  for attempt in 1 2 3; do
    "$@" && return 0
    [[ $attempt == 3 ]] || {
      say "attempt $attempt failed; trying again in $((attempt * attempt * 5)) s"
      sleep $((attempt * attempt * 5))
    }
  done
  return 1
}

# apt_for RELEASE: prints the options of a private apt for RELEASE (with its
# -updates and -security suites; sid has neither), with an empty dpkg status.
apt_for() {
  local release="$1" dir="$DEST/apt/$1"
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/etc/parts"
  : >"$dir/status"
  {
    echo "deb [signed-by=$KEYRING] $MIRROR $release main"
    if [[ "$release" != sid ]]; then
      echo "deb [signed-by=$KEYRING] $MIRROR $release-updates main"
      [[ -z "$SECURITY_MIRROR" ]] || echo "deb [signed-by=$KEYRING] $SECURITY_MIRROR $release-security main"
    fi
  } >"$dir/etc/sources.list"
  echo "-o Dir::Etc::SourceList=$dir/etc/sources.list -o Dir::Etc::SourceParts=$dir/etc/parts" \
    "-o Dir::Etc::Preferences=$dir/etc/preferences -o Dir::Etc::PreferencesParts=$dir/etc/parts" \
    "-o Dir::State::Lists=$dir/lists -o Dir::Cache=$dir/cache -o Dir::State::status=$dir/status" \
    "-o APT::Sandbox::User=root -o Debug::NoLocking=1 -o Acquire::Retries=3 -qq"
}

# fetch RELEASE TOOL PACKAGE...: downloads the packages' candidates from
# RELEASE and unpacks them into $DEST/root-RELEASE.
fetch() {
  local release="$1" tool="$2"
  shift 2
  local opts debs="$DEST/debs/$release"
  opts="$(apt_for "$release")"
  if [[ ! -f "$DEST/apt/$release/updated" ]]; then
    # shellcheck disable=SC2086
    retry apt-get $opts update ||
      die "cannot read the package lists of Debian $release from $MIRROR (needed for $tool); check that the mirror is reachable, or set DEBIAN_MIRROR to another one"
    touch "$DEST/apt/$release/updated"
  fi
  mkdir -p "$debs"
  # shellcheck disable=SC2086
  (cd "$debs" && retry apt-get $opts download "$@") ||
    die "cannot download $tool ($*) from Debian $release at $MIRROR; if Debian no longer ships it there, the tests need a new source for $tool (see CONTRIBUTING.md, Test tools)"
  local package deb
  for package in "$@"; do
    deb="$(ls "$debs/${package}"_*.deb)"
    dpkg-deb -x "$deb" "$DEST/root-$release"
  done
}

# check RELEASE PACKAGE TOOL VERSION-REGEX: the downloaded .deb is in range.
check() {
  local deb version
  deb="$(ls "$DEST/debs/$1/$2"_*.deb)"
  version="$(dpkg-deb -f "$deb" Version)"
  [[ "$version" =~ $4 ]] ||
    die "Debian $1 now ships $2 $version; the tests expect $3 in the range ${4#^} (update the range in scripts/install-test-tools.sh only after checking that the tests pass with it)"
  echo "$3 $version (Debian $1)" >>"$DEST/versions"
}

fetch bookworm docker-registry docker-registry
check bookworm docker-registry docker-registry '^2\.8\.'
# skopeo links against libgpgme, which a minimal machine may lack: fetch it and
# its closest dependencies too, and run skopeo through a wrapper that finds them.
fetch bookworm skopeo skopeo libgpgme11 libassuan0 libgpg-error0 libdevmapper1.02.1
check bookworm skopeo skopeo '^1\.'
fetch trixie cosign cosign oras kustomize
check trixie cosign cosign '^2\.5\.'
check trixie oras oras '^1\.2\.'
check trixie kustomize kustomize '^5\.'
fetch sid cosign3 cosign
check sid cosign cosign3 '^3\.'

BOOKWORM_LIBS="$DEST/root-bookworm/usr/lib/x86_64-linux-gnu:$DEST/root-bookworm/lib/x86_64-linux-gnu"
cat >"$BIN/skopeo" <<WRAPPER
#!/bin/sh
LD_LIBRARY_PATH="$BOOKWORM_LIBS\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$DEST/root-bookworm/usr/bin/skopeo" "\$@"
WRAPPER
chmod +x "$BIN/skopeo"
ln -sf "$DEST/root-bookworm/usr/bin/docker-registry" "$BIN/docker-registry"
ln -sf "$DEST/root-trixie/usr/bin/cosign" "$BIN/cosign"
ln -sf "$DEST/root-trixie/usr/bin/oras" "$BIN/oras"
ln -sf "$DEST/root-trixie/usr/bin/kustomize" "$BIN/kustomize"
ln -sf "$DEST/root-sid/usr/bin/cosign" "$BIN/cosign3"
rm -rf "$DEST/apt" "$DEST/debs"
echo "$STAMP" >"$DEST/stamp"

if ! have_all; then
  say "a tool was unpacked but does not run:"
  for t in docker-registry skopeo; do "$BIN/$t" --version 2>&1 | head -1 >&2 || true; done
  for t in cosign cosign3 oras; do "$BIN/$t" version 2>&1 | tail -1 >&2 || true; done
  die "see the lines above; delete $DEST and run again, or report the machine's distribution in an issue"
fi
say "ready in $BIN: $(paste -sd ';' "$DEST/versions" | sed 's/;/; /g')"
