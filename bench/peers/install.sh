#!/usr/bin/env bash
# Installs the peer AIS decoders used by internal/peerbench (idempotent):
# gpsdecode (gpsd-clients), libais (python3-ais; libais-tools for aisdecode)
# and the npm package ais-stream-decoder pinned by package-lock.json.
set -euo pipefail
cd "$(dirname "$0")"

pkgs=(gpsd-clients libais-tools python3-ais)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # Update the package lists once, only when an install is needed.
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if command -v npm >/dev/null; then
  if [[ ! -f node_modules/ais-stream-decoder/package.json ]] ||
     ! npm ls --depth=0 >/dev/null 2>&1; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
else
  echo "install.sh: npm not found; skipping ais-stream-decoder" >&2
fi
