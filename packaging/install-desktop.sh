#!/usr/bin/env bash
# Desktop integration for Late Calendar: the .desktop entry, the AppStream metainfo and the hicolor icons,
# copied where desktop environments look (XDG base directories). Idempotent; no root needed.
#
#   bash packaging/install-desktop.sh                      # into ~/.local/share (or $XDG_DATA_HOME)
#   bash packaging/install-desktop.sh --exec /opt/latecal/latecal   # launcher runs a bundle, not `latecal` on PATH
#   PREFIX=/usr/local/share bash packaging/install-desktop.sh       # system-wide (run as root)
#   bash packaging/install-desktop.sh --uninstall          # remove exactly the files this script installs
set -euo pipefail

APP_ID=dev.latecal.LateCalendar
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PREFIX=${PREFIX:-${XDG_DATA_HOME:-$HOME/.local/share}}
SIZES=(16 24 32 48 64 128 256 512)
mode=install exec_cmd=""
# From a checkout: ../resources. Inside a PyInstaller bundle (build-bundle.sh copies this script to
# dist/latecal/): the bundled resources, and the launcher runs the bundle's binary by default.
if [ -n "${LATECAL_RESOURCES:-}" ]; then SRC=$LATECAL_RESOURCES
elif [ -d "$HERE/../resources" ]; then SRC=$(cd "$HERE/../resources" && pwd)
else SRC=$HERE/_internal/latecal/resources; exec_cmd=$HERE/latecal
fi

while (($#)); do
  case $1 in
    --uninstall) mode=uninstall ;;
    --exec) exec_cmd=${2:?--exec needs a command}; shift ;;
    -h | --help) sed -n '2,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "install-desktop: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

# Every installed file, as "source|target" (the uninstall removes the same list).
files=(
  "$SRC/$APP_ID.desktop|$PREFIX/applications/$APP_ID.desktop"
  "$SRC/$APP_ID.metainfo.xml|$PREFIX/metainfo/$APP_ID.metainfo.xml"
  "$SRC/icons/latecal.svg|$PREFIX/icons/hicolor/scalable/apps/$APP_ID.svg"
)
for s in "${SIZES[@]}"; do
  files+=("$SRC/icons/hicolor/${s}x${s}/apps/$APP_ID.png|$PREFIX/icons/hicolor/${s}x${s}/apps/$APP_ID.png")
done

refresh() {  # best effort: caches are optional, desktops also watch the directories
  if command -v update-desktop-database > /dev/null; then update-desktop-database -q "$PREFIX/applications" || true; fi
  if command -v gtk-update-icon-cache > /dev/null && [ -f "$PREFIX/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t "$PREFIX/icons/hicolor" || true
  fi
  touch "$PREFIX/icons/hicolor" 2> /dev/null || true
}

if [ "$mode" = uninstall ]; then
  for pair in "${files[@]}"; do rm -f "${pair#*|}"; done
  refresh
  echo "install-desktop: removed Late Calendar's desktop entry, metainfo and icons from $PREFIX"
  exit 0
fi

for pair in "${files[@]}"; do
  [ -f "${pair%%|*}" ] || { echo "install-desktop: missing ${pair%%|*}" >&2; exit 1; }
done
for pair in "${files[@]}"; do install -D -m 644 "${pair%%|*}" "${pair#*|}"; done
if [ -n "$exec_cmd" ]; then
  # Quote per the Desktop Entry spec, then point Exec= and TryExec= at the given command.
  quoted="\"$(printf '%s' "$exec_cmd" | sed -e 's/[\\"`$]/\\\\&/g')\""
  sed -i -e "s|^Exec=.*|Exec=$quoted|" -e "s|^TryExec=.*|TryExec=$exec_cmd|" "$PREFIX/applications/$APP_ID.desktop"
fi
refresh
echo "install-desktop: installed Late Calendar's desktop entry, metainfo and icons into $PREFIX"
