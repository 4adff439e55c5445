#!/usr/bin/env bash
# Regenerates tests/corpus_headingless/: every corpus monograph with its heading lines removed by the
# shared tool (../shared/tools/strip_headings.py), keys beside them. Run after adding to the corpus.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tool="$here/../../../shared/tools/strip_headings.py"
out="$here/../corpus_headingless"
rm -rf "$out"
for fam in "$here"/*/; do
  name="$(basename "$fam")"
  python3 "$tool" "$out/$name" "$fam" > /dev/null
done
echo "wrote $(find "$out" -name '*.txt' | wc -l) headingless monographs under $out"
