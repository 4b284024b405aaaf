#!/usr/bin/env bash
# Run the whole test suite: offscreen Qt inside a private D-Bus session with an unlocked gnome-keyring,
# then the few tests that need a real X server under Xvfb. Sets everything up on first run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen PYTHONUNBUFFERED=1
# A throwaway keyring store and runtime dir: tests never touch the developer's real keyring.
XDG_RUNTIME_DIR=$(mktemp -d) XDG_DATA_HOME=$(mktemp -d)
export XDG_RUNTIME_DIR XDG_DATA_HOME
chmod 700 "$XDG_RUNTIME_DIR"
trap 'rm -rf "$XDG_RUNTIME_DIR" "$XDG_DATA_HOME"' EXIT

# The few tests that need a real X server first, under Xvfb (skipped when there are none), so the
# main suite's summary is the last thing printed.
status=0
if .venv/bin/python -m pytest -q --collect-only -m xcb "$@" 2> /dev/null | grep -q '::'; then
  QT_QPA_PLATFORM=xcb timeout -k 30 600 xvfb-run -a -s "-screen 0 1280x1024x24" \
    .venv/bin/python -m pytest -q -rs -m xcb "$@" < /dev/null || status=$?
fi

rc=0
timeout -k 30 1500 dbus-run-session -- sh -c \
  'echo -n ci | gnome-keyring-daemon --unlock --components=secrets > /dev/null &&
   exec env LATECAL_SECRET_SERVICE_TESTS=1 .venv/bin/python -m pytest -q -rs -m "not xcb" "$@"' sh "$@" < /dev/null || rc=$?
[ "$status" = 0 ] && status=$rc
exit "$status"
