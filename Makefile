# One command each: make run, make test, make bench, make fmt, make tidy.
.PHONY: run test build bench fmt tidy fuzz
build:
	bash scripts/build.sh release
run:
	bash scripts/run.sh
test:
	bash scripts/test.sh
# Every benchmark script at a small scale (about ten minutes on 2 cores; bench/README.md).
bench:
	bash bench/run.sh small
# Every benchmark script at the scale of bench/README.md's figures (hours).
.PHONY: bench-full
bench-full:
	bash bench/run.sh full
fmt:
	git ls-files '*.cc' '*.h' | xargs clang-format -i
tidy:
	bash scripts/build.sh release && git ls-files 'src/*.cc' | xargs clang-tidy -p build --quiet
fuzz:
	bash scripts/fuzz.sh 60
