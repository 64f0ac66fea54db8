# Shared helpers for the shell test suites (sourced, not executed).
#
# A suite calls `t_ok NAME` / `t_fail NAME REASON` (or the check helpers
# below) once per behaviour and ends with `t_done`, which prints the plain
# summary line "SUITE: N passed, N failed" and returns non-zero if anything
# failed. Results are counted in a file, not in shell variables, so a
# check made in a subshell (a pipeline's last command, say) still counts.

T_SUITE=${T_SUITE:-$(basename "$0" .sh)}
T_RESULTS=$(mktemp "${TMPDIR:-/tmp}/t_results.XXXXXX") || exit 1

t_ok() {
	echo pass >>"$T_RESULTS"
	printf 'PASS %s: %s\n' "$T_SUITE" "$1"
}

t_fail() {
	echo fail >>"$T_RESULTS"
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
	local passed failed
	passed=$(grep -c '^pass$' "$T_RESULTS")
	failed=$(grep -c '^fail$' "$T_RESULTS")
	rm -f "$T_RESULTS"
	printf '%s: %d passed, %d failed\n' "$T_SUITE" "$passed" "$failed"
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}
