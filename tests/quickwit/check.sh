#!/usr/bin/env bash
# Checks dossier's Quickwit export with Quickwit's own code: builds
# tests/quickwit/checker.rs on the quickwit-config crate of a Quickwit source
# tree (with the tantivy fork it pins, patched in), exports a mixed index (UN
# resolutions, French and Chinese SDG texts, UN library HTML pages, and
# documents with keyword fields and an id over 255 bytes), and has Quickwit
# parse the config and every document, and validate index names.
#
#   tests/quickwit/check.sh QUICKWIT_TREE TANTIVY_TREE
#
# QUICKWIT_TREE: Quickwit's source at the version to check (v0.9.0: commit
# cc420c34d). TANTIVY_TREE: quickwit-oss/tantivy at the revision that tree's
# Cargo.toml pins (057458b for v0.9.0). Needs protoc (Debian's
# protobuf-compiler), the crates.io registry, ../shared/corpus, and about
# ten minutes of building on two cores. Not part of .ci/run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
quickwit="$(cd "${1:?usage: check.sh QUICKWIT_TREE TANTIVY_TREE}" && pwd)"
tantivy="$(cd "${2:?usage: check.sh QUICKWIT_TREE TANTIVY_TREE}" && pwd)"
corpus="$repo/../shared/corpus"
work="${CHECK_DIR:-$repo/target/quickwit-check}"
mkdir -p "$work/src"

# The checker: Quickwit's crates by path, its tantivy fork patched in, and
# Quickwit's own Cargo.lock so that every dependency has the version it
# was released with.
cp "$here/checker.rs" "$work/src/main.rs"
cp "$quickwit/quickwit/Cargo.lock" "$work/Cargo.lock"
# Quickwit builds with its own flags (tokio_unstable): take them too.
mkdir -p "$work/.cargo" && cp "$quickwit/quickwit/.cargo/config.toml" "$work/.cargo/config.toml"
cat > "$work/Cargo.toml" <<TOML
[package]
name = "quickwit-export-checker"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
anyhow = "1"
quickwit-common = { path = "$quickwit/quickwit/quickwit-common" }
quickwit-config = { path = "$quickwit/quickwit/quickwit-config" }

[patch."https://github.com/quickwit-oss/tantivy/"]
tantivy = { path = "$tantivy" }

[workspace]
TOML
(cd "$work" && cargo build --quiet)
checker="$work/target/debug/quickwit-export-checker"

# A mixed index.
sources="$work/sources"; index="$work/index"
rm -rf "$sources" "$index"
mkdir -p "$sources/un-security-council" "$sources/sdg" "$sources/un-library-html" "$sources/debate"
for n in 0688_1991 0827_1993 1445_2002; do
  cp "$corpus/un-security-council/S_RES_${n}_EN_GOLD.txt" "$sources/un-security-council/"
done
cp "$corpus"/sdg/fr/* "$sources/sdg/"
mkdir -p "$sources/sdg-zh" && cp "$corpus"/sdg/zh-Hans/* "$sources/sdg-zh/"
cp "$corpus"/un-library-html/scact194[6-8]_table_en.html "$sources/un-library-html/"
printf 'My\ndelegation speaks of human security.\n' > "$sources/debate/THA_54_1999.txt"
long="$sources/debate/$(printf 'a%.0s' {1..150})/$(printf 'b%.0s' {1..150})"
mkdir -p "$long" && printf 'Report\n\nOn human security.\n' > "$long/report.txt"
cat > "$work/sources.toml" <<TOML
[[source]]
id = "debate"
name = "UN General Debate"
fields = '(?P<country>[A-Z]{3})_(?P<session>\d+)_(?P<year>\d{4})\.txt$'

[[source]]
id = "un-security-council"
name = "UN Security Council resolutions"
fields = 'S_RES_(?P<number>\d+)_(?P<year>\d{4})'
symbol = "S/RES/{number} ({year})"
TOML
dossier() { (cd "$repo" && cargo run --quiet --release -- --sources "$sources" --index "$index" --config "$work/sources.toml" "$@"); }
dossier index --quiet
dossier export --quickwit-config > "$work/dossier.yaml"
dossier export --ndjson > "$work/dossier.ndjson"
echo "exported $(wc -l < "$work/dossier.ndjson") documents"

# Names: those dossier's --bulk accepts must be Quickwit index ids.
names=(dossier un-docs_1945.v2 abc Dossier _x "un docs" my/idx ab)
for name in "${names[@]}"; do
  if dossier export --bulk "$name" >/dev/null 2>&1; then echo "dossier accepts $name"; else echo "dossier refuses $name"; fi
done
"$checker" "$work/dossier.yaml" "$work/dossier.ndjson" "${names[@]}"

# The check can fail: the 0.8 config (en_stem) is one this Quickwit refuses
# when it is 0.9 or later.
dossier export --quickwit-config --quickwit-version 0.8 > "$work/dossier-0.8.yaml"
if RUST_BACKTRACE=0 "$checker" "$work/dossier-0.8.yaml" "$work/dossier.ndjson" > "$work/0.8.txt" 2>&1; then
  echo "the --quickwit-version 0.8 config is accepted too"
else
  echo "the --quickwit-version 0.8 config is refused: $(head -1 "$work/0.8.txt")"
fi
