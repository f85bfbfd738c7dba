#!/usr/bin/env bash
# Installs what Counterpoint needs on a fresh Debian or Ubuntu machine:
# fonts for every script a news desk meets (Noto, incl. CJK), the software
# Vulkan driver the GUI snapshot tests render with, X11 test tools, and Rust.
set -euo pipefail

packages=(
  ca-certificates curl build-essential pkg-config
  fonts-noto-core fonts-noto-cjk
  libxkbcommon-x11-0 libgl1 libegl1 libgl1-mesa-dri mesa-vulkan-drivers
  xvfb xdotool imagemagick x11-utils
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  [ -x "$HOME/.cargo/bin/cargo" ] || curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component clippy,rustfmt
fi
