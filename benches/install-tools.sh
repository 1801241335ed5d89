#!/usr/bin/env bash
# Installs what `cargo bench --bench speed` and `--bench relevance` compare
# dossier with:
#   ripgrep      from Debian's packages (when missing and we may use apt-get)
#   tantivy-cli  0.24 from crates.io, into target/tools (its own folder; the
#                bench finds it there). It builds without --locked.
#   Anserini     0.21 (Lucene 9), its jar into target/tools, and java.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v rg >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq ripgrep
  else
    echo "ripgrep is missing: install it (apt-get install ripgrep, or cargo install ripgrep)" >&2
  fi
fi
# Lucene 9 for `cargo bench --bench relevance`: Anserini 0.21's jar, which
# the pyserini 0.21.0 wheel on PyPI carries; Debian's openjdk-17-jre-headless
# runs it.
if [ ! -f target/tools/anserini-0.21.0-fatjar.jar ]; then
  mkdir -p target/tools
  pip download pyserini==0.21.0 --no-deps -d target/tools/
  unzip -o -j target/tools/pyserini-0.21.0-py3-none-any.whl "*/anserini-0.21.0-fatjar.jar" -d target/tools/
fi
if ! command -v java >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless
  else
    echo "java is missing: install it (apt-get install openjdk-17-jre-headless) for the Lucene column" >&2
  fi
fi
if [ ! -x target/tools/bin/tantivy ]; then
  cargo install tantivy-cli --version 0.24.0 --root target/tools
fi
rg --version | head -1 || true
target/tools/bin/tantivy --version || true
