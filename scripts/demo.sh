#!/usr/bin/env bash
# Start Late Calendar in demo mode against the embedded Late sandbox (sets everything up on first run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
exec .venv/bin/latecal --demo "$@"
