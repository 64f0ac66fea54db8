# Shared helpers for the shell test suites (sourced, not executed).
#
# A suite calls `t_ok NAME` / `t_fail NAME REASON` (or the check helpers
# below) once per behaviour and ends with `t_done`, which prints the plain
# summary line "N passed, N failed" and exits non-zero if anything failed.

T_PASSED=0
T_FAILED=0
T_SUITE=${T_SUITE:-$(basename "$0" .sh)}

t_ok() {
	T_PASSED=$((T_PASSED + 1))
	printf 'PASS %s: %s\n' "$T_SUITE" "$1"
}

t_fail() {
	T_FAILED=$((T_FAILED + 1))
	printf 'FAIL %s: %s: %s\n' "$T_SUITE" "$1" "$2"
}

# t_eq NAME EXPECTED ACTUAL
t_eq() {
	if [ "$2" = "$3" ]; then
		t_ok "$1"
	else
		t_fail "$1" "expected [$2], got [$3]"
	fi
}

# t_match NAME GLOB ACTUAL: ACTUAL must match the shell pattern GLOB.
t_match() {
	case "$3" in
	$2) t_ok "$1" ;;
	*) t_fail "$1" "[$3] does not match [$2]" ;;
	esac
}

t_done() {
	printf '%s: %d passed, %d failed\n' "$T_SUITE" "$T_PASSED" "$T_FAILED"
	[ "$T_FAILED" -eq 0 ]
}
