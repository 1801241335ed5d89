#!/usr/bin/env bash
# Installs what `cargo bench --bench speed` compares dossier with:
#   ripgrep      from Debian's packages (when missing and we may use apt-get)
#   tantivy-cli  0.24 from crates.io, into target/tools (its own folder; the
#                bench finds it there). It builds without --locked.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v rg >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq ripgrep
  else
    echo "ripgrep is missing: install it (apt-get install ripgrep, or cargo install ripgrep)" >&2
  fi
fi
if [ ! -x target/tools/bin/tantivy ]; then
  cargo install tantivy-cli --version 0.24.0 --root target/tools
fi
rg --version | head -1 || true
target/tools/bin/tantivy --version || true
