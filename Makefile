# One command each: make run, make test, make bench, make fmt, make tidy.
.PHONY: run test build bench fmt tidy fuzz
build:
	bash scripts/build.sh release
run:
	bash scripts/run.sh
test:
	bash scripts/test.sh
bench:
	bash bench/run.sh small
# Every benchmark at full scale: the populated-hub shapes and the KPI hub generated from nothing.
.PHONY: bench-full
bench-full:
	bash bench/run.sh full
fmt:
	git ls-files '*.cc' '*.h' | xargs clang-format -i
tidy:
	bash scripts/build.sh release && git ls-files 'src/*.cc' | xargs clang-tidy -p build --quiet
fuzz:
	bash scripts/fuzz.sh 60
