#!/usr/bin/env bash
# Sets up a fresh machine (see setup.sh), then checks formatting and lints and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings
# Benchmarks are built and linted above but not run here: timings never go into tests.
cargo test --lib --bins --tests --locked
