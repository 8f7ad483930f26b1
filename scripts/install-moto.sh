#!/usr/bin/env bash
# Installs moto's server (a fake of AWS's APIs, from PyPI) into .cache/moto
# for the ECR tests: creating repositories and getting registry tokens
# through the real AWS SDK against it. Needs python3 with pip and PyPI.
# Run again, it does nothing when the versions below are there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${FLEETPACK_MOTO_DIR:-$ROOT/.cache/moto}"
PACKAGES=("moto==5.2.5" "flask==3.1.3" "flask-cors==6.0.5")
STAMP="${PACKAGES[*]}"

say() { echo "install-moto: $*" >&2; }

if [[ -f "$DEST/stamp" && "$(cat "$DEST/stamp")" == "$STAMP" ]]; then exit 0; fi
if ! command -v python3 >/dev/null || ! python3 -m pip --version >/dev/null 2>&1; then
  say "python3 with pip is needed for the ECR tests' fake AWS API (moto): install python3 and python3-pip, then run again"
  exit 1
fi
rm -rf "$DEST"
mkdir -p "$DEST"
for attempt in 1 2 3; do
  if python3 -m pip install --quiet --disable-pip-version-check --no-warn-conflicts --root-user-action=ignore --target "$DEST/lib" "${PACKAGES[@]}"; then
    echo "$STAMP" >"$DEST/stamp"
    say "moto ready in $DEST"
    exit 0
  fi
  say "pip failed (attempt $attempt of 3); retrying"
  sleep $((attempt * 5))
done
say "cannot install ${PACKAGES[*]} from PyPI; check the network and PIP_INDEX_URL, then run again"
exit 1
