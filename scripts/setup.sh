#!/usr/bin/env bash
# Installs failsim's build and test dependencies from Debian packages.
# Idempotent: installs only what is missing. Works as root, or through sudo.
set -euo pipefail

packages=(
  build-essential cmake pkg-config dpkg-dev file
  libsimgrid-dev libboost-graph-dev nlohmann-json3-dev
  librapidcheck-dev libgtest-dev libcli11-dev libbenchmark-dev libssl-dev
  python3 python3-jsonschema
  clang libclang-rt-14-dev
  chromium python3-pil
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all dependencies present"
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  as_root=(sudo)
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
