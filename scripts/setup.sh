#!/usr/bin/env bash
# Installs what Counterpoint needs on a fresh Debian or Ubuntu machine:
# fonts for every script a news desk meets (Noto, incl. CJK), the software
# Vulkan driver the GUI snapshot tests render with, X11 test tools, and Rust.
set -euo pipefail

packages=(
  ca-certificates curl build-essential pkg-config
  # fonts for Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari, CJK, and emoji in colour
  fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji libfontconfig1
  # the window: X11 and Wayland client libraries, GPU or software (Mesa) rendering
  libx11-6 libx11-xcb1 libxcursor1 libxrandr2 libxi6 libxkbcommon-x11-0 libxkbcommon0 libwayland-client0
  libgl1 libglx-mesa0 libegl1 libegl-mesa0 libgl1-mesa-dri mesa-vulkan-drivers
  # the tests: a virtual screen and tools to drive it
  xvfb xdotool imagemagick x11-utils
  # the merge driver test builds a git repository
  git
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
