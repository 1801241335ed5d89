#!/usr/bin/env bash
# Installs what `cargo bench --bench speed` and `--bench relevance` compare
# dossier with:
#   ripgrep      from Debian's packages (when missing and we may use apt-get)
#   tantivy-cli  0.24 from crates.io, into target/tools (its own folder; the
#                bench finds it there). It builds without --locked.
#   Anserini     0.21 (Lucene 9), its jar into target/tools, and a JDK.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v rg >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq ripgrep
  else
    echo "ripgrep is missing: install it (apt-get install ripgrep, or cargo install ripgrep)" >&2
  fi
fi
# Lucene 9 for `cargo bench --bench relevance` and `--bench speed`: Anserini 0.21's jar, which
# the pyserini 0.21.0 wheel on PyPI carries; Debian's openjdk-17 runs it.
if [ ! -f target/tools/anserini-0.21.0-fatjar.jar ]; then
  mkdir -p target/tools
  pip download pyserini==0.21.0 --no-deps -d target/tools/
  unzip -o -j target/tools/pyserini-0.21.0-py3-none-any.whl "*/anserini-0.21.0-fatjar.jar" -d target/tools/
fi
# The speed bench also compiles a small harness (benches/lucene/SpeedHarness.java)
# with javac: the JDK, not only the JRE.
if ! command -v java >/dev/null || ! command -v javac >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq openjdk-17-jdk-headless
  else
    echo "java or javac is missing: install them (apt-get install openjdk-17-jdk-headless) for the Lucene columns" >&2
  fi
fi
if [ ! -x target/tools/bin/tantivy ]; then
  cargo install tantivy-cli --version 0.24.0 --root target/tools
fi
rg --version | head -1 || true
target/tools/bin/tantivy --version || true
