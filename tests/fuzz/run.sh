#!/bin/bash
# Fuzz suite: build the libFuzzer targets of tests/fuzz with clang
# (address and undefined-behaviour sanitizers) and run each for a bounded
# time; any crash, leak, sanitizer report or failed check fails the suite.
#
#   tests/fuzz/run.sh            each target FUZZ_SECONDS (default 30) s
#   FUZZ_SECONDS=300 tests/fuzz/run.sh   (make fuzz)
#   tests/fuzz/run.sh stdin      only the named targets
#
# Objects go to build/fuzz (the src/*.c files except main.c, compiled
# again with clang: the gcc objects of the normal build are not used).
# Seeds are tests/fuzz/corpus/<target>; what the fuzzer learns is kept in
# build/fuzz/corpus/<target>; a crashing input is saved as
# build/fuzz/artifacts/<target>-crash-*. For each target the suite prints
# executions, coverage (cov:) and features (ft:) from libFuzzer's last
# status line.
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck disable=SC2034 # read by tests/lib.sh
T_SUITE=fuzz
. tests/lib.sh

SECONDS_EACH=${FUZZ_SECONDS:-30}
TARGETS=${*:-stdin argv metadata convert}
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

for t in $TARGETS; do
	name="fuzz_${t}_runs_${SECONDS_EACH}_s_without_crash"
	mkdir -p "$B/corpus/$t"
	rm -f "$B/artifacts/$t-"*
	# -close_fd_mask=2: the shim's own error messages (one per rejected
	# input) would drown libFuzzer's output; its reports still show. A
	# smaller ASan quarantine keeps memory modest on a shared machine.
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:quarantine_size_mb=64} \
		UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
		"$B/fuzz_$t" "$B/corpus/$t" "tests/fuzz/corpus/$t" \
		-max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -close_fd_mask=2 -print_final_stats=1 \
		-artifact_prefix="$B/artifacts/$t-" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p')
	echo "fuzz $t: ${execs:-?} executions (limit $SECONDS_EACH s), cov: ${cov:-?}, ft: ${ft:-?}, corpus: ${corp:-?}"
	artifact=$(ls "$B/artifacts/$t-"* 2>/dev/null | head -n 1)
	if [ -n "$artifact" ]; then
		# Again with stderr, for the target's own message.
		echo "--- fuzz_$t on $artifact ---"
		"$B/fuzz_$t" "$artifact" 2>&1 | grep -av '^ *#[0-9]' | head -n 20
	fi
	if [ "$rc" -eq 0 ] && [ -z "$artifact" ] && [ -n "$execs" ]; then
		t_ok "$name"
	else
		echo "--- fuzz_$t output (last 30 lines) ---"
		tail -n 30 "$log"
		t_fail "$name" "exit $rc${artifact:+, input saved as $artifact}"
	fi
done

t_done
