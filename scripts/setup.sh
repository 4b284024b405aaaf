#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian/Ubuntu machine: the system libraries Qt needs, a venv, the project.
# Sourced or run by scripts/demo.sh, scripts/test.sh and .ci/run. Fast when everything is already there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DEBIAN_FRONTEND=noninteractive PIP_DISABLE_PIP_VERSION_CHECK=1

APT_PKGS=(
  # Qt offscreen and on a real screen (reference/toolchain.md §1)
  libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3 fonts-dejavu-core
  libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxcb-sync1 libxcb-shm0
  # tests that need a real X server, and a real Secret Service for the keyring tests
  xvfb xauth dbus-daemon gnome-keyring
  # validators for the desktop entry and the AppStream metadata (tests/packaging)
  desktop-file-utils appstream
)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  as_root apt-get update -qq < /dev/null
  as_root apt-get install -y -qq --no-install-recommends "$@" < /dev/null > /tmp/latecal-apt.log 2>&1 \
    || { tail -40 /tmp/latecal-apt.log; exit 1; }
}

missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then echo "setup: installing ${missing[*]}"; apt_install "${missing[@]}"; fi

PY=${PYTHON:-python3}
command -v "$PY" > /dev/null || { apt_install python3 python3-venv; PY=python3; }
if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -m venv .venv 2> /dev/null; then  # Debian's own python3 needs python3-venv
    rm -rf .venv; apt_install python3-venv; "$PY" -m venv .venv
  fi
fi
# Reinstall only when the dependency list changed.
stamp=.venv/.latecal-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install -q -e '.[test,bundle]' 2>&1 | grep -v "is ignored" || true
  .venv/bin/python -c 'import latecal, PySide6, qasync' || { echo "setup: install failed"; exit 1; }
  echo "$want" > "$stamp"
fi
