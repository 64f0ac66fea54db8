#!/bin/bash
# Fuzz suite: build the libFuzzer targets of tests/fuzz with clang
# (address and undefined-behaviour sanitizers) and run each; any crash,
# leak, sanitizer report or failed check fails the suite.
#
# Two modes, so that make check gives the same answer on every run:
#
#   tests/fuzz/run.sh              (make check) for each target: replay
#       every input of tests/fuzz/corpus/<target> and of
#       tests/fuzz/regressions/<target> (inputs that once crashed it),
#       then FUZZ_RUNS executions from a fresh copy of the corpus with the
#       fixed seed FUZZ_SEED (default 1). Nothing is learned between
#       runs and nothing depends on the clock: same binary, same answer.
#   FUZZ_MODE=explore tests/fuzz/run.sh   (make fuzz) random seed,
#       FUZZ_SECONDS (default 300) each, a corpus kept in
#       build/fuzz/corpus/<target> between runs. A crash found there is
#       saved as build/fuzz/artifacts/<target>-crash-*: fix it and add the
#       input to tests/fuzz/regressions/<target>/.
#
#   tests/fuzz/run.sh stdin        only the named targets
#
# Objects go to build/fuzz (the src/*.c files except main.c, compiled
# again with clang: the gcc objects of the normal build are not used).
# For each target the suite prints executions, coverage (cov:) and
# features (ft:) from libFuzzer's last status line.
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck disable=SC2034 # read by tests/lib.sh
T_SUITE=fuzz
. tests/lib.sh

MODE=${FUZZ_MODE:-check}
SECONDS_EACH=${FUZZ_SECONDS:-300}
SEED=${FUZZ_SEED:-1}
TARGETS=${*:-$(for f in tests/fuzz/fuzz_*.c; do f=${f#tests/fuzz/fuzz_}; echo "${f%.c}"; done)}
CLANG=${FUZZ_CC:-clang}
B=build/fuzz

WARN="-Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes
      -Wmissing-prototypes -Wpointer-arith -Wwrite-strings -Wvla"
# shellcheck disable=SC2086
CFLAGS="-std=c11 -g -O1 -fno-omit-frame-pointer $WARN
	$(pkg-config --cflags libxml-2.0) -DVERSION=\"fuzz\"
	-DPLUGIN_DIR=\"/nonexistent/plugins\" -DHELPER_DIR=\"/nonexistent/helpers\"
	-DXML_SONAME=\"$(make -s --no-print-directory xml-soname)\""
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
LIBS=$(pkg-config --libs libxml-2.0)

log=$(mktemp) || exit 1
trap 'rm -f "$log"' EXIT

build() {
	local src obj objs=""
	mkdir -p "$B/obj" "$B/artifacts"
	for src in src/*.c; do
		[ "$src" = src/main.c ] && continue
		obj=$B/obj/$(basename "$src" .c).o
		objs="$objs $obj"
		# shellcheck disable=SC2086
		$CLANG $CFLAGS $SAN -fsanitize=fuzzer-no-link -Isrc \
			-c -o "$obj" "$src" || return 1
	done
	for t in $TARGETS; do
		# shellcheck disable=SC2086
		$CLANG $CFLAGS $SAN -fsanitize=fuzzer -Isrc \
			-o "$B/fuzz_$t" "tests/fuzz/fuzz_$t.c" $objs $LIBS || return 1
	done
}

if ! command -v "$CLANG" >/dev/null; then
	t_fail build "$CLANG not found (apt-get install clang libclang-rt-dev)"
	t_done
	exit
fi
if build >"$log" 2>&1; then
	t_ok "build_fuzz_targets_with_clang_and_sanitizers"
else
	t_fail "build_fuzz_targets_with_clang_and_sanitizers" "$(tail -n 20 "$log")"
	t_done
	exit
fi

# runs TARGET: how many executions make check gives TARGET, 20 to 60 s
# each on this project's 2-core reference machine (FUZZ_RUNS overrides).
# The XML targets are slow (libxml2 under ASan, long inputs): a few
# thousand runs; the parsers of the shim's own input: hundreds of
# thousands.
runs() {
	if [ -n "${FUZZ_RUNS:-}" ]; then
		echo "$FUZZ_RUNS"
		return
	fi
	case $1 in
	stdin) echo 200000 ;;
	argv) echo 300000 ;;
	convert) echo 100000 ;;
	*) echo 3000 ;;
	esac
}

# fuzz TARGET LOG ARGS...: one libFuzzer run of TARGET; its status.
fuzz() {
	local t=$1 out=$2
	shift 2
	t0=$SECONDS
	# -close_fd_mask=2: the shim's own error messages (one per rejected
	# input) would drown libFuzzer's output; its reports still show. A
	# smaller ASan quarantine keeps memory modest on a shared machine.
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:quarantine_size_mb=64} \
		UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
		"$B/fuzz_$t" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-close_fd_mask=2 -artifact_prefix="$B/artifacts/$t-" "$@" >"$out" 2>&1
}

# report TARGET NAME STATUS: one row from the last run's log.
report() {
	local t=$1 name=$2 rc=$3 execs last cov ft artifact
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	echo "fuzz $t: ${execs:-?} executions in $((SECONDS - t0)) s, cov: ${cov:-?}, ft: ${ft:-?}"
	artifact=$(ls "$B/artifacts/$t-"* 2>/dev/null | head -n 1)
	if [ -n "$artifact" ]; then
		# Again with stderr, for the target's own message.
		echo "--- fuzz_$t on $artifact ---"
		"$B/fuzz_$t" "$artifact" 2>&1 | grep -av '^ *#[0-9]' | head -n 20
		echo "(fix it, then add the input to tests/fuzz/regressions/$t/)"
	fi
	if [ "$rc" -eq 0 ] && [ -z "$artifact" ] && [ -n "$execs" ]; then
		t_ok "$name"
	else
		echo "--- fuzz_$t output (last 30 lines) ---"
		tail -n 30 "$log"
		t_fail "$name" "exit $rc${artifact:+, input saved as $artifact}"
	fi
}

# replay TARGET: every committed input, each once.
replay() {
	local t=$1 n rc inputs=()
	for d in "tests/fuzz/corpus/$t" "tests/fuzz/regressions/$t"; do
		[ -d "$d" ] && inputs+=("$d"/*)
	done
	n=${#inputs[@]}
	if [ "$n" -eq 0 ]; then
		t_fail "fuzz_${t}_replays_its_corpus_and_regressions" "no inputs"
		return
	fi
	fuzz "$t" "$log" -runs=1 -print_final_stats=1 "${inputs[@]}"
	rc=$?
	# Given files, libFuzzer runs each and prints no status line.
	grep -q '^stat::number_of_executed_units' "$log" ||
		echo "stat::number_of_executed_units: $n" >>"$log"
	report "$t" "fuzz_${t}_replays_${n}_corpus_and_regression_inputs" "$rc"
}

# seeded TARGET: fuzz from a fresh copy of the corpus, fixed seed and count.
seeded() {
	local t=$1 n corpus rc
	n=$(runs "$t")
	corpus=$(mktemp -d) || return 1
	fuzz "$t" "$log" -seed="$SEED" -runs="$n" -print_final_stats=1 \
		"$corpus" "tests/fuzz/corpus/$t"
	rc=$?
	rm -rf "$corpus"
	report "$t" "fuzz_${t}_seed_${SEED}_${n}_runs_without_crash" "$rc"
}

# explore TARGET: random seed, bounded time, a corpus kept between runs.
explore() {
	local t=$1
	mkdir -p "$B/corpus/$t"
	fuzz "$t" "$log" -max_total_time="$SECONDS_EACH" -print_final_stats=1 \
		"$B/corpus/$t" "tests/fuzz/corpus/$t"
	report "$t" "fuzz_${t}_explores_${SECONDS_EACH}_s_without_crash" "$?"
}

for t in $TARGETS; do
	rm -f "$B/artifacts/$t-"*
	if [ "$MODE" = explore ]; then
		explore "$t"
	else
		replay "$t"
		rm -f "$B/artifacts/$t-"*
		seeded "$t"
	fi
done

t_done
