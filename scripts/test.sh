#!/usr/bin/env bash
# The whole test suite: formatting, lints, then every test of every crate (unit, integration,
# end-to-end CLI, doc tests). One shared build; needs only the Rust toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
