#!/usr/bin/env bash
# Build the one-folder PyInstaller bundle dist/latecal/ (about 25 s and 200 MB on Linux), then smoke-run it.
#
#   bash packaging/build-bundle.sh            # uses .venv (run scripts/setup.sh first)
#   DIST=/tmp/out WORK=/tmp/work bash packaging/build-bundle.sh
#
# Installs the `bundle` extra's requirements (PyInstaller) into the venv when missing, without touching the
# project's own (editable) install. Run the bundle with dist/latecal/latecal; put it in the desktop's menu
# with dist/latecal/install-desktop.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=${PYTHON:-.venv/bin/python}
DIST=${DIST:-dist} WORK=${WORK:-build/pyinstaller}

if ! "$PY" -c 'import PyInstaller' 2> /dev/null; then
  # The requirement list lives in one place: pyproject's [project.optional-dependencies] bundle.
  mapfile -t reqs < <("$PY" -c 'import tomllib; [print(r) for r in tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["bundle"]]')
  "$PY" -m pip install -q "${reqs[@]}" 2>&1 | grep -v "is ignored" || true
fi

T0=$SECONDS
"$PY" -m PyInstaller packaging/latecal.spec --noconfirm --log-level WARN --distpath "$DIST" --workpath "$WORK"
cp packaging/install-desktop.sh "$DIST/latecal/"
echo "build-bundle: built $DIST/latecal in $((SECONDS - T0))s ($(du -sh "$DIST/latecal" | cut -f1))"

# Smoke: the version, then one offscreen demo run that syncs with the embedded sandbox and writes a PNG.
"$DIST/latecal/latecal" --version
demo=$(mktemp -d)
trap 'rm -rf "$demo"' EXIT
QT_QPA_PLATFORM=offscreen "$DIST/latecal/latecal" --demo --data-dir "$demo" --screenshot "$DIST/latecal-demo.png" \
  2> >(grep -v propagateSizeHints >&2)
echo "build-bundle: ok; demo screenshot in $DIST/latecal-demo.png"
