#!/usr/bin/env bash
# Builds fleetpack's test oracle: Flux source-controller's own cosign
# verification, one binary per Flux generation, each compiled from the
# source-controller release that Flux version pins, with the harness in
# scripts/flux-oracle/ (see its main.go). Go's internal/ rule lets only code
# inside a module import its internal packages, so each build happens in a
# writable copy of the downloaded module under .cache/flux-oracle/.
#
#   Flux 2.7  source-controller v1.7.3  cosign v2.5.2  (Flux 2.7.5 pins v1.7.4, which the
#                                                       Go module proxy does not serve)
#   Flux 2.8  source-controller v1.8.0  cosign v3.0.4  (pinned by Flux 2.8.1)
#   Flux 2.9  source-controller v1.9.5  cosign v3.0.6  (pinned by Flux 2.9.5)
#
# Needs Go >= 1.26 (the go directive of v1.8 and v1.9) and the Go module
# proxy. Run again, it does nothing unless a binary is missing.
#
# Also Flux's artifact extraction (fluxcd/pkg/tar Untar, as the reconciler
# calls it) at the version source-controller v1.9.5 requires.
#
# And a second registry implementation for tests and the benchmark:
# go-containerregistry's pkg/registry at the version source-controller
# v1.9.5 builds with (see ggcr-registry/main.go).
#
# Result: $FLEETPACK_ORACLE_DIR/bin/flux-{2.7,2.8,2.9}, flux-untar and ggcr-registry
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${FLEETPACK_ORACLE_DIR:-$ROOT/.cache/flux-oracle}"
HARNESS="$ROOT/scripts/flux-oracle"
GENERATIONS=("2.7 v1.7.3 v1_7" "2.8 v1.8.0 v1_8" "2.9 v1.9.5 v1_9")
# The harness's own content is part of the stamp: editing it rebuilds.
STAMP="$(cat "$HARNESS"/*.go "$HARNESS"/untar/*.go "$HARNESS"/ggcr-registry/*.go "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16)"

say() { echo "build-flux-oracle: $*" >&2; }

if ! command -v go >/dev/null; then
  say "Go is not installed: the Flux oracle is built from Flux's Go modules. Install Go >= 1.26 (https://go.dev/doc/install, or your distribution's golang package), then run again"
  exit 1
fi
go_minor="$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')"
if [[ "$go_minor" -lt 26 ]]; then
  say "Go $(go env GOVERSION) is too old: source-controller v1.8 and v1.9 need Go >= 1.26; install a newer Go, then run again"
  exit 1
fi

if [[ -f "$DEST/stamp" && "$(cat "$DEST/stamp")" == "$STAMP" ]]; then
  all=1
  for entry in "${GENERATIONS[@]}"; do
    read -r flux _ _ <<<"$entry"
    [[ -x "$DEST/bin/flux-$flux" ]] || all=0
  done
  [[ -x "$DEST/bin/flux-untar" && -x "$DEST/bin/ggcr-registry" ]] || all=0
  [[ $all == 1 ]] && exit 0
fi

mkdir -p "$DEST/bin" "$DEST/src"
# No VCS stamping: the copies sit inside this project's git work tree, which is not theirs.
export GOFLAGS="-mod=readonly -buildvcs=false" GOTOOLCHAIN=local
for entry in "${GENERATIONS[@]}"; do
  read -r flux version suffix <<<"$entry"
  say "Flux $flux: source-controller $version"
  module="$(go mod download -json "github.com/fluxcd/source-controller@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -d "$module" ]] || {
    say "cannot download github.com/fluxcd/source-controller@$version from the Go module proxy; check GOPROXY and the network, then run again"
    exit 1
  }
  copy="$DEST/src/$version"
  rm -rf "$copy"
  cp -r "$module" "$copy"
  chmod -R u+w "$copy"
  # The release replaces its api module with ./api, a separate module the
  # zip does not hold: put the same version of it there.
  api="$(go mod download -json "github.com/fluxcd/source-controller/api@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -d "$api" ]] || {
    say "cannot download github.com/fluxcd/source-controller/api@$version from the Go module proxy"
    exit 1
  }
  rm -rf "$copy/api"
  cp -r "$api" "$copy/api"
  chmod -R u+w "$copy/api"
  mkdir -p "$copy/cmd/fleetpack-oracle"
  cp "$HARNESS/main.go" "$HARNESS/generation_$suffix.go" "$copy/cmd/fleetpack-oracle/"
  if [[ -f "$HARNESS/oracle_factory_$suffix.go" ]]; then
    cp "$HARNESS/oracle_factory_$suffix.go" "$copy/internal/oci/cosign/"
  fi
  # go.sum of the release lists every module the build needs; nothing is upgraded.
  (cd "$copy" && go build -trimpath -o "$DEST/bin/flux-$flux" ./cmd/fleetpack-oracle)
done
say "Flux's untar: fluxcd/pkg/tar as source-controller v1.9.5 requires it"
tar_version="$(sed -n 's/^[[:space:]]*github.com\/fluxcd\/pkg\/tar \(v[^ ]*\).*/\1/p' "$DEST/src/v1.9.5/go.mod" | head -n 1)"
untar="$DEST/src/untar"
rm -rf "$untar"
mkdir -p "$untar"
cp "$HARNESS/untar/main.go" "$untar/"
(
  cd "$untar"
  go mod init fleetpack.test/flux-untar >/dev/null 2>&1
  GOFLAGS="-mod=mod -buildvcs=false" go get "github.com/fluxcd/pkg/tar@$tar_version" >/dev/null
  GOFLAGS="-mod=mod -buildvcs=false" go build -trimpath -o "$DEST/bin/flux-untar" .
)
say "go-containerregistry's registry, as source-controller v1.9.5 requires it"
ggcr_version="$(sed -n 's/^[[:space:]]*github.com\/google\/go-containerregistry \(v[^ ]*\).*/\1/p' "$DEST/src/v1.9.5/go.mod" | head -n 1)"
ggcr="$DEST/src/ggcr-registry"
rm -rf "$ggcr"
mkdir -p "$ggcr"
cp "$HARNESS/ggcr-registry/main.go" "$ggcr/"
(
  cd "$ggcr"
  go mod init fleetpack.test/ggcr-registry >/dev/null 2>&1
  GOFLAGS="-mod=mod -buildvcs=false" go get "github.com/google/go-containerregistry@$ggcr_version" >/dev/null
  GOFLAGS="-mod=mod -buildvcs=false" go build -trimpath -o "$DEST/bin/ggcr-registry" .
)
echo "$STAMP" >"$DEST/stamp"
say "ready in $DEST/bin"
