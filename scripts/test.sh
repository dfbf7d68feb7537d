#!/usr/bin/env bash
# Installs what the tests need, builds, and runs every test: the release build (GCC, -O3, as a
# packager builds it, with warnings as errors), the same tests under AddressSanitizer +
# UndefinedBehaviorSanitizer (Clang), the fuzzers for a bounded time, the formatting check, and
# the command-line contract smoke test. Two trees, not three: the fuzz targets are built in the
# sanitizer tree, whose objects carry libFuzzer's coverage hooks (docs/testing.md has the
# figures). ctest runs the store contract suite and the command-line scenarios on SQLite and,
# through a throwaway PostgreSQL server it starts itself (tests/pg_server.py; as `nobody` under
# root), on PostgreSQL too (store_contract_pg, cli_pg_test, and each scenario file again as
# <file>_pg).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh test
failed=0
failures=()
current=""
step() { current="$*"; echo; echo "== $* =="; }
# Records the step that failed, with the tests ctest names, so the log's last lines say what broke.
fail() {
  failed=1
  failures+=("$current${1:+: $1}")
}
flaky=()
# Runs ctest in build tree $1 with the arguments after it. A test that fails is run once more:
# one that then passes is listed at the end as flaky (a race in the test or in the code, to be
# looked at), and does not fail the run; one that fails twice fails the step, by name.
run_ctest() {
  local dir="$1"
  shift
  rm -f "$dir/Testing/Temporary/LastTestsFailed.log"
  if ! (cd "$dir" && ctest --output-on-failure -j2 --repeat until-pass:2 "$@" 2>&1 | tee ctest-output.log); then
    fail "$(cut -d: -f2 "$dir/Testing/Temporary/LastTestsFailed.log" 2>/dev/null | tr '\n' ' ')"
  fi
  local name
  for name in $(sed -n -E 's/.*Test +#[0-9]+: ([A-Za-z0-9_]+) .*\*\*\*(Failed|Timeout|Exception).*/\1/p' "$dir/ctest-output.log" | sort -u); do
    grep -q ":$name\$" "$dir/Testing/Temporary/LastTestsFailed.log" 2>/dev/null || flaky+=("$current: $name")
  done
}

step "format check (clang-format)"
if ! git ls-files '*.cc' '*.h' | xargs -r clang-format --dry-run -Werror; then
  echo "FAIL: files above are not clang-formatted (make fmt)"; fail
fi

step "release build"
bash scripts/build.sh release
step "tests (release)"
run_ctest build

step "sanitizer build (ASan + UBSan, Clang; the fuzz targets' tree too)"
bash scripts/build.sh asan cxhub cxhub_tests
step "tests (ASan + UBSan)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The look checks (LibreOffice and Chromium renders of exports and packs) run once, above:
# what they check is the output's appearance, which the sanitizers do not change. So does the
# HTTP soak (label load): its memory bound means nothing under the sanitizers' allocator. The
# scenario files' PostgreSQL runs (label pg) repeat the SQLite runs' commands; the PostgreSQL
# store's code runs under the sanitizers in store_contract_pg and cli_pg_test.
run_ctest build-asan -LE 'look|load|pg'

if [ -x scripts/fuzz.sh ]; then
  step "fuzzers (bounded)"
  # 30 s a target: a smoke run that the seed corpora still pass (the long runs are in
  # docs/reliability.md); the suite must stay under 40 minutes on a fresh machine. The targets
  # link the sanitizer tree's libraries, built above: only their own files compile here.
  bash scripts/fuzz.sh 30 || fail
fi

if [ -f ../shared/tools/contract-smoke.py ]; then
  step "contract smoke test"
  python3 ../shared/tools/contract-smoke.py build/cxhub || fail
fi

echo
if [ "${#flaky[@]}" -gt 0 ]; then
  echo "FLAKY (failed once, passed when run again):"
  printf '  - %s\n' "${flaky[@]}"
fi
if [ "$failed" = 0 ]; then
  echo "all test steps passed"
else
  echo "some test steps FAILED:"
  printf '  - %s\n' "${failures[@]}"
fi
exit "$failed"
