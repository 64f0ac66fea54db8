# The installed binary is hardened the way RHEL builds C (issue 9 item 6),
# from a plain make: sourced by tests/packaging/run.sh ($HBWRAP, t_*).

hardening_checks() {
	local dyn prog syms
	dyn=$(readelf -dW "$HBWRAP" 2>&1)
	prog=$(readelf -lW "$HBWRAP" 2>&1)
	syms=$(readelf --dyn-syms -W "$HBWRAP" 2>&1)
	t_match installed_binary_is_a_pie "*Type:*DYN*" "$(readelf -hW "$HBWRAP" 2>&1)"
	t_match installed_binary_binds_now "*(FLAGS)*BIND_NOW*" "$dyn"
	t_match installed_binary_has_pie_and_now_flags "*(FLAGS_1)*NOW*PIE*" "$dyn"
	t_match installed_binary_has_full_relro "*GNU_RELRO*BIND_NOW*" "$prog$dyn"
	t_match installed_binary_has_stack_protector "*__stack_chk_fail*" "$syms"
	t_match installed_binary_is_fortified "*__*printf_chk*" "$syms"
}
hardening_checks
