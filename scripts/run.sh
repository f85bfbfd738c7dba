#!/usr/bin/env bash
# Sets up a fresh machine (see setup.sh) and opens Counterpoint; arguments go to the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
exec cargo run --release --quiet -- "$@"
