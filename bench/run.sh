#!/usr/bin/env bash
# Runs every benchmark script in bench/ (each prints its own figures). Full scale
# takes long on 2 cores; each script takes a scale argument (see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")"
for s in *.sh; do
  [ "$s" = run.sh ] && continue
  echo "== $s =="
  bash "$s"
done
