#!/usr/bin/env bash
# Installs Counterpoint for the current user, without root: the release
# binary in ~/.local/bin, a desktop entry (so it is in the application menu
# and in "Open With" for text files) and its icon under ~/.local/share.
#   scripts/install.sh               build the release binary if needed, then install
#   scripts/install.sh --binary PATH install that binary instead of building one
#   scripts/install.sh --uninstall   remove everything the install put there
# XDG_DATA_HOME and XDG_BIN_HOME are honoured when set.
set -euo pipefail
cd "$(dirname "$0")/.."

bin_dir=${XDG_BIN_HOME:-$HOME/.local/bin}
data_dir=${XDG_DATA_HOME:-$HOME/.local/share}
apps_dir=$data_dir/applications
icons_dir=$data_dir/icons/hicolor
desktop_file=$apps_dir/counterpoint.desktop
installed=(
  "$bin_dir/counterpoint"
  "$desktop_file"
  "$icons_dir/scalable/apps/counterpoint.svg"
  "$icons_dir/256x256/apps/counterpoint.png"
)

refresh_caches() {
  # Menus and "Open With" read these caches; without the tools they read the folders.
  command -v update-desktop-database >/dev/null && update-desktop-database -q "$apps_dir" 2>/dev/null || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$icons_dir" 2>/dev/null || true
}

case "${1:-}" in
  --uninstall)
    for file in "${installed[@]}"; do
      if [ -e "$file" ]; then
        rm -f "$file"
        echo "removed $file"
      fi
    done
    refresh_caches
    echo "Counterpoint is uninstalled (your projects and settings are left as they are)."
    exit 0
    ;;
  --binary)
    binary=${2:?"--binary needs the path of a counterpoint binary"}
    ;;
  "")
    binary=target/release/counterpoint
    if [ ! -x "$binary" ]; then
      command -v cargo >/dev/null || export PATH="$HOME/.cargo/bin:$PATH"
      cargo build --release --locked
    fi
    ;;
  *)
    sed -n '2,9p' "$0"; exit 2 ;;
esac

[ -x "$binary" ] || { echo "install.sh: no binary at $binary" >&2; exit 1; }
mkdir -p "$bin_dir" "$apps_dir" "$icons_dir/scalable/apps" "$icons_dir/256x256/apps"
install -m 755 "$binary" "$bin_dir/counterpoint"
install -m 644 assets/icon/counterpoint.svg "$icons_dir/scalable/apps/counterpoint.svg"
install -m 644 assets/icon/counterpoint-256.png "$icons_dir/256x256/apps/counterpoint.png"
# The entry names the binary by its full path: ~/.local/bin is not on every PATH.
sed "s|^Exec=counterpoint |Exec=\"$bin_dir/counterpoint\" |" assets/counterpoint.desktop >"$desktop_file"
chmod 644 "$desktop_file"
refresh_caches
echo "Installed Counterpoint:"
printf '  %s\n' "${installed[@]}"
case ":$PATH:" in
  *":$bin_dir:"*) ;;
  *) echo "($bin_dir is not on your PATH; the application menu finds Counterpoint all the same.)" ;;
esac
