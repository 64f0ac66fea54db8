/*
 * test_options.c - the option table, the stdin and command-line parsers
 * and request_finish() (src/options.c).
 */
#define _GNU_SOURCE
#include "unit.h"

#include "options.h"

/* Parse the LEN bytes at TEXT as stdin into a fresh *REQ. */
static int
read_text(const char *text, size_t len, struct request *req)
{
	FILE *fp = fmemopen((void *)text, len, "r");
	int rc;

	ck_assert_ptr_nonnull(fp);
	memset(req, 0, sizeof(*req));
	rc = options_read_stdin(fp, req);
	fclose(fp);
	return rc;
}

static int
read_str(const char *text, struct request *req)
{
	return read_text(text, strlen(text), req);
}

/* Parse TEXT as stdin; return its rc and what it wrote on stderr. */
static int
read_str_err(const char *text, struct request *req, char **err)
{
	struct unit_capture cap;
	int rc;

	unit_capture_start(&cap);
	rc = read_str(text, req);
	*err = unit_capture_end(&cap);
	return rc;
}

/* Parse the command line ARGS (NULL-terminated, program name first). */
static int
parse_args(struct request *req, char **err, const char *const *args)
{
	struct unit_capture cap;
	int argc = 0, rc;

	while (args[argc] != NULL)
		argc++;
	memset(req, 0, sizeof(*req));
	unit_capture_start(&cap);
	rc = options_parse_argv(argc, (char *const *)args, req);
	*err = unit_capture_end(&cap);
	return rc;
}

#define ARGS(...) ((const char *const[]){"fence_hb_t", __VA_ARGS__, NULL})

/* Read TEXT from stdin and finish the request; both must succeed. */
static void
finish_str(const char *text, struct request *req)
{
	ck_assert_int_eq(read_str(text, req), 0);
	ck_assert_int_eq(request_finish(req), 0);
}

/* request_finish() on TEXT must fail with an error naming NAME. */
static void
assert_finish_refuses(const char *text, const char *name)
{
	struct request req;
	struct unit_capture cap;
	char *err;
	int rc;

	ck_assert_int_eq(read_str(text, &req), 0);
	unit_capture_start(&cap);
	rc = request_finish(&req);
	err = unit_capture_end(&cap);
	ck_assert_msg(rc == -1, "request_finish accepted '%s'", text);
	ck_assert_msg(strstr(err, name) != NULL,
	              "error for '%s' does not name %s: %s", text, name, err);
	free(err);
	request_free(&req);
}

/* ---- stdin ------------------------------------------------------------ */

START_TEST(name_value_lines_fill_the_request)
{
	struct request req;

	ck_assert_int_eq(
	        read_str("action=off\nport=node1\nipaddr=10.0.0.1\n", &req), 0);
	ck_assert_uint_eq(req.all.n, 3);
	ck_assert_str_eq(params_get(&req.all, "action"), "off");
	ck_assert_str_eq(params_get(&req.all, "port"), "node1");
	ck_assert_str_eq(params_get(&req.all, "ipaddr"), "10.0.0.1");
	request_free(&req);
}
END_TEST

START_TEST(comment_lines_are_skipped)
{
	struct request req;

	ck_assert_int_eq(read_str("# action=on\naction=off\n  # port=x\n"
	                          "#\n",
	                          &req),
	                 0);
	ck_assert_uint_eq(req.all.n, 1);
	ck_assert_str_eq(params_get(&req.all, "action"), "off");
	ck_assert_ptr_null(params_get(&req.all, "port"));
	request_free(&req);
}
END_TEST

START_TEST(blank_lines_are_skipped)
{
	struct request req;

	ck_assert_int_eq(read_str("\n\n \t \naction=off\n\n\r\n", &req), 0);
	ck_assert_uint_eq(req.all.n, 1);
	ck_assert_str_eq(params_get(&req.all, "action"), "off");
	request_free(&req);
}
END_TEST

START_TEST(surrounding_blanks_of_a_line_are_stripped)
{
	struct request req;

	ck_assert_int_eq(read_str("  \taction=off \t\nport=n1\r\n"
	                          "hostlist=n1 n2  \n",
	                          &req),
	                 0);
	ck_assert_str_eq(params_get(&req.all, "action"), "off");
	ck_assert_str_eq(params_get(&req.all, "port"), "n1");
	ck_assert_str_eq(params_get(&req.all, "hostlist"), "n1 n2");
	request_free(&req);
}
END_TEST

START_TEST(blanks_around_the_equals_sign_are_stripped)
{
	struct request req;

	ck_assert_int_eq(read_str("action = off\nhostlist =\tn1 n2\n"
	                          "ipaddr= 10.0.0.1\n",
	                          &req),
	                 0);
	ck_assert_str_eq(params_get(&req.all, "action"), "off");
	ck_assert_str_eq(params_get(&req.all, "hostlist"), "n1 n2");
	ck_assert_str_eq(params_get(&req.all, "ipaddr"), "10.0.0.1");
	request_free(&req);
}
END_TEST

START_TEST(last_value_of_a_plugin_parameter_wins)
{
	struct request req;

	ck_assert_int_eq(
	        read_str("action=on\nipaddr=a\naction=on\nipaddr=b\n", &req),
	        0);
	ck_assert_uint_eq(req.all.n, 2);
	ck_assert_str_eq(params_get(&req.all, "action"), "on");
	ck_assert_str_eq(params_get(&req.all, "ipaddr"), "b");
	request_free(&req);
}
END_TEST

START_TEST(shim_option_given_twice_with_different_values_is_refused)
{
	struct request req;
	char *err;

	ck_assert_int_eq(read_str_err("action=reboot\noption=on\n", &req, &err),
	                 -1);
	ck_assert_ptr_nonnull(
	        strstr(err, "option 'action' given twice with different values "
	                    "('reboot', then 'on')"));
	ck_assert_int_eq(unit_count(err, "\n"), 1);
	free(err);
	request_free(&req);
	ck_assert_int_eq(read_str_err("port=n1\nport=n2\n", &req, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "'port' given twice"));
	free(err);
	request_free(&req);
}
END_TEST

START_TEST(target_starting_with_a_dash_or_holding_control_chars_is_refused)
{
	static const char *const bad[] = {
	        "port=--help\n",
	        "port=-oProxyCommand=touch /tmp/x\n",
	        "plug=-n\n",
	        "nodename=-x\n",
	        "port=n1\rfence_hb_x: error: forged\n",
	        "port=n1\x1b[2J\n",
	        "port=n1\tn2\n",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_finish_refuses(bad[i], "target '");
	/* What a node may be called still passes. */
	struct request req;

	finish_str("port=node-2.example_com\n", &req);
	ck_assert_str_eq(req.target, "node-2.example_com");
	request_free(&req);
}
END_TEST

START_TEST(option_is_an_old_name_for_action)
{
	struct request req;

	ck_assert_int_eq(read_str("option=off\n", &req), 0);
	ck_assert_str_eq(params_get(&req.all, "action"), "off");
	ck_assert_ptr_null(params_get(&req.all, "option"));
	request_free(&req);

	/* One name, whichever spelling. */
	ck_assert_int_eq(read_str("action=off\noption=off\n", &req), 0);
	ck_assert_uint_eq(req.all.n, 1);
	ck_assert_str_eq(params_get(&req.all, "action"), "off");
	request_free(&req);
}
END_TEST

START_TEST(bare_boolean_name_sets_it)
{
	struct request req;

	ck_assert_int_eq(read_str("verbose\naction=off\n", &req), 0);
	ck_assert_str_eq(params_get(&req.all, "verbose"), "1");
	ck_assert_int_eq(request_finish(&req), 0);
	ck_assert_int_eq(req.verbose, 1);
	request_free(&req);
}
END_TEST

START_TEST(bare_name_of_a_valued_option_is_refused)
{
	struct request req;
	char *err;

	ck_assert_int_eq(read_str_err("action\n", &req, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "expected name=value"));
	free(err);
	request_free(&req);
}
END_TEST

START_TEST(line_without_equals_is_quoted_only_up_to_its_first_blank)
{
	struct request req;
	char *err;

	ck_assert_int_eq(read_str_err("passwd S3cr3t\n", &req, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "'passwd'"));
	ck_assert_ptr_null(strstr(err, "S3cr3t"));
	free(err);
	request_free(&req);
}
END_TEST

START_TEST(line_without_equals_is_refused_naming_the_line)
{
	struct request req;
	char *err;

	ck_assert_int_eq(
	        read_str_err("action=off\n# fine\nnot a pair\n", &req, &err),
	        -1);
	ck_assert_ptr_nonnull(strstr(err, "line 3"));
	ck_assert_ptr_nonnull(strstr(err, "'not'"));
	ck_assert_int_eq(unit_count(err, "\n"), 1);
	free(err);
	request_free(&req);
}
END_TEST

START_TEST(empty_name_is_refused)
{
	struct request req;
	char *err;

	ck_assert_int_eq(read_str_err("=off\n", &req, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "line 1"));
	ck_assert_ptr_nonnull(strstr(err, "empty"));
	free(err);
	request_free(&req);
}
END_TEST

START_TEST(invalid_name_is_refused)
{
	static const char *const bad[] = {
	        "my-param=1\n",  "1abc=1\n", "a b=1\n",
	        "a.b=1\n",       "$x=1\n",   "Gr\303\266\303\237e=1\n",
	        "act ion=off\n",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct request req;
		char *err;

		ck_assert_msg(read_str_err(bad[i], &req, &err) == -1,
		              "accepted: %s", bad[i]);
		ck_assert_msg(strstr(err, "not a valid parameter name") != NULL,
		              "for %s: %s", bad[i], err);
		free(err);
		request_free(&req);
	}
}
END_TEST

START_TEST(nul_byte_is_refused)
{
	static const char text[] = "action=off\nipaddr=10.0\0.0.1\n";
	struct request req;
	struct unit_capture cap;
	char *err;

	unit_capture_start(&cap);
	ck_assert_int_eq(read_text(text, sizeof(text) - 1, &req), -1);
	err = unit_capture_end(&cap);
	ck_assert_ptr_nonnull(strstr(err, "line 2"));
	ck_assert_ptr_nonnull(strstr(err, "NUL"));
	free(err);
	request_free(&req);
}
END_TEST

/* A line of LEN bytes: "x=" and then LEN - 2 letters. */
static char *
line_of(size_t len)
{
	char *s = malloc(len + 2);

	ck_assert_ptr_nonnull(s);
	memset(s, 'a', len);
	memcpy(s, "x=", 2);
	s[len] = '\n';
	s[len + 1] = '\0';
	return s;
}

START_TEST(line_of_the_maximum_length_is_accepted)
{
	char *s = line_of(STDIN_MAX_LINE);
	struct request req;

	ck_assert_int_eq(read_str(s, &req), 0);
	ck_assert_uint_eq(strlen(params_get(&req.all, "x")),
	                  STDIN_MAX_LINE - 2);
	free(s);
	request_free(&req);
}
END_TEST

START_TEST(overlong_line_is_refused)
{
	char *s = line_of(STDIN_MAX_LINE + 1), *err;
	struct request req;

	ck_assert_int_eq(read_str_err(s, &req, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "longer than"));
	free(err);
	free(s);
	request_free(&req);
}
END_TEST

/* TOTAL bytes of stdin: one action line, then comment lines. */
static char *
input_of(size_t total)
{
	static const char head[] = "action=off\n";
	char *s = malloc(total + 1);

	ck_assert_ptr_nonnull(s);
	memcpy(s, head, sizeof(head) - 1);
	for (size_t i = sizeof(head) - 1; i < total; i++)
		s[i] = (i + 1) % 1000 == 0 || i + 1 == total ? '\n' : '#';
	s[total] = '\0';
	return s;
}

START_TEST(input_of_the_maximum_size_is_accepted)
{
	char *s = input_of(STDIN_MAX_BYTES);
	struct request req;

	ck_assert_int_eq(read_str(s, &req), 0);
	ck_assert_str_eq(params_get(&req.all, "action"), "off");
	free(s);
	request_free(&req);
}
END_TEST

START_TEST(too_many_bytes_are_refused)
{
	char *s = input_of(STDIN_MAX_BYTES + 1), *err;
	struct request req;

	ck_assert_int_eq(read_str_err(s, &req, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "bytes"));
	free(err);
	free(s);
	request_free(&req);
}
END_TEST

START_TEST(too_many_names_are_refused)
{
	size_t cap = (MAX_PARAMS + 1) * 16;
	char *s = malloc(cap), *err;
	size_t o = 0;
	struct request req;

	ck_assert_ptr_nonnull(s);
	for (int i = 0; i <= MAX_PARAMS; i++)
		o += (size_t)snprintf(s + o, cap - o, "p%d=v\n", i);
	ck_assert_int_eq(read_str_err(s, &req, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "parameters"));
	free(err);
	request_free(&req);

	/* The same name repeated is one parameter, however often. */
	o = 0;
	for (int i = 0; i <= MAX_PARAMS; i++)
		o += (size_t)snprintf(s + o, cap - o, "p=%d\n", i);
	ck_assert_int_eq(read_str(s, &req), 0);
	ck_assert_uint_eq(req.all.n, 1);
	free(s);
	request_free(&req);
}
END_TEST

START_TEST(command_line_only_names_are_refused_on_stdin)
{
	size_t seen = 0;

	for (size_t i = 0; i < option_count; i++) {
		const struct option_spec *o = &option_table[i];
		char line[128], *err;
		struct request req;

		if (!(o->flags & OF_CLI_ONLY))
			continue;
		seen++;
		snprintf(line, sizeof(line), "%s=1\n", o->name);
		ck_assert_msg(read_str_err(line, &req, &err) == -1,
		              "accepted on stdin: %s", line);
		ck_assert_msg(strstr(err, "command-line option only") != NULL,
		              "for %s: %s", o->name, err);
		free(err);
		request_free(&req);
		snprintf(line, sizeof(line), "%s\n", o->name);
		ck_assert_msg(read_str_err(line, &req, &err) == -1,
		              "bare name accepted on stdin: %s", line);
		free(err);
		request_free(&req);
	}
	ck_assert_uint_gt(seen, 0);
}
END_TEST

START_TEST(unknown_names_are_kept_for_the_plugin)
{
	struct request req;

	ck_assert_int_eq(read_str("hostlist=n1 n2\nVI_SERVER=vc1\n", &req), 0);
	ck_assert_str_eq(params_get(&req.all, "hostlist"), "n1 n2");
	ck_assert_str_eq(params_get(&req.all, "VI_SERVER"), "vc1");
	request_free(&req);
}
END_TEST

START_TEST(value_is_everything_after_the_first_equals)
{
	struct request req;

	ck_assert_int_eq(read_str("passwd=a=b= c\npriv=\n", &req), 0);
	ck_assert_str_eq(params_get(&req.all, "passwd"), "a=b= c");
	ck_assert_str_eq(params_get(&req.all, "priv"), "");
	request_free(&req);
}
END_TEST

START_TEST(last_line_without_newline_is_read)
{
	struct request req;

	ck_assert_int_eq(read_str("action=on\nport=n1", &req), 0);
	ck_assert_str_eq(params_get(&req.all, "port"), "n1");
	request_free(&req);
}
END_TEST

START_TEST(empty_stdin_is_an_empty_request)
{
	struct request req;

	ck_assert_int_eq(read_str("", &req), 0);
	ck_assert_uint_eq(req.all.n, 0);
	request_free(&req);
}
END_TEST

/* ---- command line ----------------------------------------------------- */

START_TEST(short_o_takes_the_next_argument)
{
	struct request req;
	char *err;

	ck_assert_int_eq(parse_args(&req, &err, ARGS("-o", "reboot")), 0);
	ck_assert_str_eq(params_get(&req.all, "action"), "reboot");
	free(err);
	request_free(&req);
}
END_TEST

START_TEST(short_o_takes_an_attached_value)
{
	struct request req;
	char *err;

	ck_assert_int_eq(parse_args(&req, &err, ARGS("-oreboot")), 0);
	ck_assert_str_eq(params_get(&req.all, "action"), "reboot");
	free(err);
	request_free(&req);
}
END_TEST

START_TEST(short_n_sets_plug)
{
	struct request req;
	char *err;

	ck_assert_int_eq(parse_args(&req, &err, ARGS("-n", "n1")), 0);
	ck_assert_str_eq(params_get(&req.all, "plug"), "n1");
	ck_assert_int_eq(request_finish(&req), 0);
	ck_assert_str_eq(req.target, "n1");
	free(err);
	request_free(&req);
}
END_TEST

START_TEST(short_v_sets_verbose)
{
	struct request req;
	char *err;

	ck_assert_int_eq(parse_args(&req, &err, ARGS("-v")), 0);
	ck_assert_str_eq(params_get(&req.all, "verbose"), "1");
	ck_assert_int_eq(request_finish(&req), 0);
	ck_assert_int_eq(req.verbose, 1);
	free(err);
	request_free(&req);
}
END_TEST

START_TEST(combined_short_flags_end_with_one_taking_a_value)
{
	struct request req;
	char *err;

	ck_assert_int_eq(
	        parse_args(&req, &err, ARGS("-vo", "reboot", "-n", "n2")), 0);
	ck_assert_str_eq(params_get(&req.all, "verbose"), "1");
	ck_assert_str_eq(params_get(&req.all, "action"), "reboot");
	ck_assert_str_eq(params_get(&req.all, "plug"), "n2");
	free(err);
	request_free(&req);
}
END_TEST

START_TEST(short_option_without_its_value_is_refused)
{
	struct request req;
	char *err;

	ck_assert_int_eq(parse_args(&req, &err, ARGS("-o")), -1);
	ck_assert_ptr_nonnull(strstr(err, "-o"));
	free(err);
	request_free(&req);
}
END_TEST

START_TEST(unknown_short_option_is_refused)
{
	struct request req;
	char *err;

	ck_assert_int_eq(parse_args(&req, &err, ARGS("-x")), -1);
	ck_assert_ptr_nonnull(strstr(err, "-x"));
	free(err);
	request_free(&req);
}
END_TEST

START_TEST(long_option_with_equals)
{
	struct request req;
	char *err;

	ck_assert_int_eq(parse_args(&req, &err, ARGS("--action=off")), 0);
	ck_assert_str_eq(params_get(&req.all, "action"), "off");
	free(err);
	request_free(&req);
}
END_TEST

START_TEST(long_option_with_separate_value)
{
	struct request req;
	char *err;

	ck_assert_int_eq(parse_args(&req, &err, ARGS("--action", "off")), 0);
	ck_assert_str_eq(params_get(&req.all, "action"), "off");
	ck_assert_uint_eq(req.all.n, 1);
	free(err);
	request_free(&req);
}
END_TEST

START_TEST(dash_and_underscore_are_the_same_in_long_names)
{
	struct request req;
	char *err;

	ck_assert_int_eq(parse_args(&req, &err, ARGS("--plugin-timeout=5")), 0);
	ck_assert_str_eq(params_get(&req.all, "plugin_timeout"), "5");
	free(err);
	request_free(&req);
	ck_assert_int_eq(parse_args(&req, &err, ARGS("--plugin_timeout=7")), 0);
	ck_assert_str_eq(params_get(&req.all, "plugin_timeout"), "7");
	ck_assert_int_eq(request_finish(&req), 0);
	ck_assert_int_eq(req.plugin_timeout, 7);
	free(err);
	request_free(&req);
}
END_TEST

START_TEST(unknown_long_name_with_a_value_is_a_plugin_parameter)
{
	struct request req;
	char *err;

	ck_assert_int_eq(parse_args(&req, &err, ARGS("--hostlist=n1 n2")), 0);
	ck_assert_str_eq(params_get(&req.all, "hostlist"), "n1 n2");
	ck_assert_int_eq(option_is_shim_only("hostlist"), 0);
	free(err);
	request_free(&req);
}
END_TEST

START_TEST(unknown_long_name_without_a_value_is_refused)
{
	struct request req;
	char *err;

	ck_assert_int_eq(parse_args(&req, &err, ARGS("--foo")), -1);
	ck_assert_ptr_nonnull(strstr(err, "--foo=VALUE"));
	free(err);
	request_free(&req);
}
END_TEST

/* fence-agents' convention: "--name value" as well as "--name=value", for
 * a plugin parameter as for an option of the shim. */
START_TEST(long_name_takes_the_next_argument_as_its_value)
{
	struct request req;
	char *err;

	ck_assert_int_eq(parse_args(&req, &err,
	                            ARGS("--hostname", "node2", "--ipaddr",
	                                 "10.0.0.1", "--plugin", "ipmi")),
	                 0);
	ck_assert_str_eq(params_get(&req.all, "hostname"), "node2");
	ck_assert_str_eq(params_get(&req.all, "ipaddr"), "10.0.0.1");
	ck_assert_str_eq(params_get(&req.all, "plugin"), "ipmi");
	free(err);
	request_free(&req);
}
END_TEST

START_TEST(long_boolean_needs_no_value)
{
	struct request req;
	char *err;

	ck_assert_int_eq(
	        parse_args(&req, &err, ARGS("--verbose", "--list-plugins")), 0);
	ck_assert_int_eq(request_finish(&req), 0);
	ck_assert_int_eq(req.verbose, 1);
	ck_assert_int_eq(req.list_plugins, 1);
	free(err);
	request_free(&req);
}
END_TEST

START_TEST(positional_argument_is_refused)
{
	struct request req;
	char *err;

	ck_assert_int_eq(parse_args(&req, &err, ARGS("reboot")), -1);
	ck_assert_ptr_nonnull(strstr(err, "reboot"));
	free(err);
	request_free(&req);
	ck_assert_int_eq(parse_args(&req, &err, ARGS("-o", "off", "n1")), -1);
	free(err);
	request_free(&req);
	ck_assert_int_eq(parse_args(&req, &err, ARGS("-")), -1);
	free(err);
	request_free(&req);
}
END_TEST

START_TEST(invalid_long_name_is_refused)
{
	struct request req;
	char *err;

	ck_assert_int_eq(parse_args(&req, &err, ARGS("--=x")), -1);
	free(err);
	request_free(&req);
	ck_assert_int_eq(parse_args(&req, &err, ARGS("--a.b=x")), -1);
	free(err);
	request_free(&req);
}
END_TEST

/* ---- request_finish --------------------------------------------------- */

START_TEST(port_beats_plug_beats_nodename)
{
	struct request req;

	finish_str("nodename=n3\nplug=n2\nport=n1\n", &req);
	ck_assert_str_eq(req.target, "n1");
	request_free(&req);
	finish_str("nodename=n3\nplug=n2\n", &req);
	ck_assert_str_eq(req.target, "n2");
	request_free(&req);
	finish_str("nodename=n3\n", &req);
	ck_assert_str_eq(req.target, "n3");
	request_free(&req);
	finish_str("port=n1\nnodename=n3\n", &req);
	ck_assert_str_eq(req.target, "n1");
	request_free(&req);
}
END_TEST

START_TEST(empty_port_falls_back_to_plug_then_nodename)
{
	struct request req;

	finish_str("port=\nplug=n2\nnodename=n3\n", &req);
	ck_assert_str_eq(req.target, "n2");
	request_free(&req);
	finish_str("port=\nplug=\nnodename=n3\n", &req);
	ck_assert_str_eq(req.target, "n3");
	request_free(&req);
}
END_TEST

START_TEST(no_target_given_leaves_it_unset)
{
	struct request req;

	finish_str("action=list\n", &req);
	ck_assert_ptr_null(req.target);
	request_free(&req);
}
END_TEST

START_TEST(defaults_apply_when_nothing_is_given)
{
	struct request req;

	finish_str("", &req);
	ck_assert_str_eq(req.action, "reboot");
	ck_assert_int_eq(req.plugin_timeout, 30);
	ck_assert_int_eq(req.retry_on, 1);
	ck_assert_int_eq(req.delay, 0);
	ck_assert_int_eq(req.method, METHOD_CYCLE);
	ck_assert_int_eq(req.verbose, 0);
	ck_assert_ptr_null(req.plugin);
	ck_assert_ptr_null(req.debug_file);
	request_free(&req);
}
END_TEST

START_TEST(defaults_are_those_of_the_option_table)
{
	struct request req;

	finish_str("", &req);
	ck_assert_str_eq(option_find("action")->def, req.action);
	ck_assert_int_eq(atol(option_find("plugin_timeout")->def),
	                 req.plugin_timeout);
	ck_assert_int_eq(atol(option_find("retry_on")->def), req.retry_on);
	ck_assert_int_eq(atol(option_find("delay")->def), req.delay);
	ck_assert_str_eq(option_find("method")->def, "cycle");
	request_free(&req);
}
END_TEST

START_TEST(given_values_fill_the_typed_fields)
{
	struct request req;

	finish_str("action=off\ndelay=5\nretry_on=3\nplugin_timeout=10\n"
	           "method=onoff\nverbose=no\ndebug_file=/tmp/d\n"
	           "plugin=external/ssh\n",
	           &req);
	ck_assert_str_eq(req.action, "off");
	ck_assert_int_eq(req.delay, 5);
	ck_assert_int_eq(req.retry_on, 3);
	ck_assert_int_eq(req.plugin_timeout, 10);
	ck_assert_int_eq(req.method, METHOD_ONOFF);
	ck_assert_int_eq(req.verbose, 0);
	ck_assert_str_eq(req.debug_file, "/tmp/d");
	ck_assert_str_eq(req.plugin, "external/ssh");
	request_free(&req);
}
END_TEST

START_TEST(booleans_accept_the_usual_spellings)
{
	static const char *const yes[] = {"1",   "yes",  "true", "on",
	                                  "YES", "True", "y",    ""};
	static const char *const no[] = {"0", "no", "false", "off", "OFF", "n"};

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		struct request req;
		char line[64];

		snprintf(line, sizeof(line), "verbose=%s\n", yes[i]);
		finish_str(line, &req);
		ck_assert_msg(req.verbose == 1, "%s is not true", line);
		request_free(&req);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		struct request req;
		char line[64];

		snprintf(line, sizeof(line), "verbose=%s\n", no[i]);
		finish_str(line, &req);
		ck_assert_msg(req.verbose == 0, "%s is not false", line);
		request_free(&req);
	}
}
END_TEST

START_TEST(bad_integers_are_refused)
{
	assert_finish_refuses("delay=abc\n", "delay");
	assert_finish_refuses("delay=-1\n", "delay");
	assert_finish_refuses("delay=5s\n", "delay");
	assert_finish_refuses("delay=\n", "delay");
	assert_finish_refuses("delay=3601\n", "delay");
	assert_finish_refuses("retry_on=0\n", "retry_on");
	assert_finish_refuses("retry_on=1.5\n", "retry_on");
	assert_finish_refuses("plugin_timeout=0\n", "plugin_timeout");
	assert_finish_refuses("plugin_timeout=99999999999999999999\n",
	                      "plugin_timeout");
}
END_TEST

START_TEST(bad_booleans_are_refused)
{
	assert_finish_refuses("verbose=maybe\n", "verbose");
	assert_finish_refuses("verbose=2\n", "verbose");
}
END_TEST

START_TEST(bad_method_is_refused)
{
	assert_finish_refuses("method=fast\n", "method");
	assert_finish_refuses("method=CYCLE\n", "method");
}
END_TEST

/* ---- the table -------------------------------------------------------- */

START_TEST(nodename_is_not_shim_only)
{
	ck_assert_int_eq(option_is_shim_only("nodename"), 0);
}
END_TEST

START_TEST(shim_options_are_shim_only)
{
	static const char *const names[] = {
	        "action",  "option",     "port",           "plug",
	        "plugin",  "delay",      "retry_on",       "method",
	        "verbose", "debug_file", "plugin_timeout", "help",
	        "version",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		ck_assert_msg(option_is_shim_only(names[i]), "%s", names[i]);
}
END_TEST

START_TEST(plugin_parameters_are_not_shim_only)
{
	static const char *const names[] = {"hostlist",  "ipaddr", "passwd",
	                                    "VI_SERVER", "Action", "ports"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		ck_assert_msg(!option_is_shim_only(names[i]), "%s", names[i]);
}
END_TEST

START_TEST(every_option_has_a_description)
{
	for (size_t i = 0; i < option_count; i++) {
		const char *d = option_table[i].desc;

		ck_assert_msg(d != NULL && *d != '\0', "%s has no description",
		              option_table[i].name);
		ck_assert_msg(strchr(d, '\n') == NULL, "%s: multi-line",
		              option_table[i].name);
	}
}
END_TEST

START_TEST(every_option_name_is_valid_and_unique)
{
	for (size_t i = 0; i < option_count; i++) {
		const struct option_spec *o = &option_table[i];

		ck_assert_msg(name_is_valid(o->name), "%s", o->name);
		ck_assert_ptr_eq(option_find(o->name), o);
		for (size_t k = i + 1; k < option_count; k++) {
			ck_assert_str_ne(o->name, option_table[k].name);
			ck_assert_msg(o->letter == 0 ||
			                      o->letter !=
			                              option_table[k].letter,
			              "letter -%c twice", o->letter);
		}
	}
}
END_TEST

START_TEST(every_default_is_a_valid_value)
{
	for (size_t i = 0; i < option_count; i++) {
		const struct option_spec *o = &option_table[i];
		char *end;

		if (o->def == NULL)
			continue;
		if (o->type == OT_INTEGER || o->type == OT_SECOND) {
			strtol(o->def, &end, 10);
			ck_assert_msg(*o->def && *end == '\0', "%s=%s", o->name,
			              o->def);
		}
		if (o->type == OT_SELECT) {
			const char *const *c = o->choices;

			ck_assert_ptr_nonnull(c);
			while (*c != NULL && strcmp(*c, o->def) != 0)
				c++;
			ck_assert_msg(*c != NULL, "%s: default %s not a choice",
			              o->name, o->def);
		}
	}
}
END_TEST

START_TEST(valued_options_have_an_argument_name)
{
	for (size_t i = 0; i < option_count; i++) {
		const struct option_spec *o = &option_table[i];

		if (o->type == OT_BOOLEAN)
			ck_assert_msg(o->argname == NULL, "%s", o->name);
		else
			ck_assert_msg(o->argname != NULL, "%s", o->name);
	}
}
END_TEST

static Suite *
options_suite(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("stdin");

	tcase_add_test(tc, name_value_lines_fill_the_request);
	tcase_add_test(tc, comment_lines_are_skipped);
	tcase_add_test(tc, blank_lines_are_skipped);
	tcase_add_test(tc, surrounding_blanks_of_a_line_are_stripped);
	tcase_add_test(tc, blanks_around_the_equals_sign_are_stripped);
	tcase_add_test(tc, last_value_of_a_plugin_parameter_wins);
	tcase_add_test(
	        tc, shim_option_given_twice_with_different_values_is_refused);
	tcase_add_test(
	        tc,
	        target_starting_with_a_dash_or_holding_control_chars_is_refused);
	tcase_add_test(tc, option_is_an_old_name_for_action);
	tcase_add_test(tc, bare_boolean_name_sets_it);
	tcase_add_test(tc, bare_name_of_a_valued_option_is_refused);
	tcase_add_test(tc, line_without_equals_is_refused_naming_the_line);
	tcase_add_test(
	        tc, line_without_equals_is_quoted_only_up_to_its_first_blank);
	tcase_add_test(tc, empty_name_is_refused);
	tcase_add_test(tc, invalid_name_is_refused);
	tcase_add_test(tc, nul_byte_is_refused);
	tcase_add_test(tc, line_of_the_maximum_length_is_accepted);
	tcase_add_test(tc, overlong_line_is_refused);
	tcase_add_test(tc, input_of_the_maximum_size_is_accepted);
	tcase_add_test(tc, too_many_bytes_are_refused);
	tcase_add_test(tc, too_many_names_are_refused);
	tcase_add_test(tc, command_line_only_names_are_refused_on_stdin);
	tcase_add_test(tc, unknown_names_are_kept_for_the_plugin);
	tcase_add_test(tc, value_is_everything_after_the_first_equals);
	tcase_add_test(tc, last_line_without_newline_is_read);
	tcase_add_test(tc, empty_stdin_is_an_empty_request);
	suite_add_tcase(s, tc);

	tc = tcase_create("argv");
	tcase_add_test(tc, short_o_takes_the_next_argument);
	tcase_add_test(tc, short_o_takes_an_attached_value);
	tcase_add_test(tc, short_n_sets_plug);
	tcase_add_test(tc, short_v_sets_verbose);
	tcase_add_test(tc, combined_short_flags_end_with_one_taking_a_value);
	tcase_add_test(tc, short_option_without_its_value_is_refused);
	tcase_add_test(tc, unknown_short_option_is_refused);
	tcase_add_test(tc, long_option_with_equals);
	tcase_add_test(tc, long_option_with_separate_value);
	tcase_add_test(tc, dash_and_underscore_are_the_same_in_long_names);
	tcase_add_test(tc,
	               unknown_long_name_with_a_value_is_a_plugin_parameter);
	tcase_add_test(tc, unknown_long_name_without_a_value_is_refused);
	tcase_add_test(tc, long_name_takes_the_next_argument_as_its_value);
	tcase_add_test(tc, long_boolean_needs_no_value);
	tcase_add_test(tc, positional_argument_is_refused);
	tcase_add_test(tc, invalid_long_name_is_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("request_finish");
	tcase_add_test(tc, port_beats_plug_beats_nodename);
	tcase_add_test(tc, empty_port_falls_back_to_plug_then_nodename);
	tcase_add_test(tc, no_target_given_leaves_it_unset);
	tcase_add_test(tc, defaults_apply_when_nothing_is_given);
	tcase_add_test(tc, defaults_are_those_of_the_option_table);
	tcase_add_test(tc, given_values_fill_the_typed_fields);
	tcase_add_test(tc, booleans_accept_the_usual_spellings);
	tcase_add_test(tc, bad_integers_are_refused);
	tcase_add_test(tc, bad_booleans_are_refused);
	tcase_add_test(tc, bad_method_is_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("table");
	tcase_add_test(tc, nodename_is_not_shim_only);
	tcase_add_test(tc, shim_options_are_shim_only);
	tcase_add_test(tc, plugin_parameters_are_not_shim_only);
	tcase_add_test(tc, every_option_has_a_description);
	tcase_add_test(tc, every_option_name_is_valid_and_unique);
	tcase_add_test(tc, every_default_is_a_valid_value);
	tcase_add_test(tc, valued_options_have_an_argument_name);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(options_suite(), CK_FORK);
}
