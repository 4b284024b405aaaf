#!/usr/bin/env bash
# Rewrite the README's screenshots in docs/screenshots (or OUT_DIR). Run on purpose after a visible change; the
# test suite renders the same scenes into temporary directories only.
#   bash scripts/screenshots.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
QT_QPA_PLATFORM=offscreen exec .venv/bin/python tests/readme_screenshots.py "$@"
