/*
 * test_log.c - which parameters are secret, and their masking in every
 * message (src/log.c).
 */
#define _GNU_SOURCE
#include "unit.h"

#include <ctype.h>

#include <syslog.h>

#include "halog.h"
#include "log.h"
#include "options.h"

/* A letter, digit, _ or byte of UTF-8: what a whole secret is not glued
 * to. */
static int
is_word(char c)
{
	return isalnum((unsigned char)c) || c == '_' ||
	       (unsigned char)c >= 0x80;
}

/* log_mask_copy() of the string TEXT. */
static char *
mask(const char *text)
{
	size_t n = 0;
	char *m = log_mask_copy(text, strlen(text), &n);

	ck_assert_uint_eq(n, strlen(m));
	return m;
}

START_TEST(password_like_names_are_secret)
{
	static const char *const secret[] = {
	        "passwd",
	        "password",
	        "ilo_password",
	        "PASSWD",
	        "community",
	        "secret",
	        "api_token",
	        "key",
	        "ssh_key",
	        "apikey",
	        "api_key",
	        "apiKey",
	        "credentials",
	        "auth",
	        "snmp_community",
	        "Password",
	        "client_secret",
	        "pw",
	        "pwd",
	        "ipmi_pw",
	        "rootpwd",
	        "authpass",
	        "VI_CREDSTORE",
	        "token",
	        "passphrase",
	        "access_key",
	        "private_key",
	        "privkey",
	        "adminpassword",
	        "snmp_priv_passwd",
	        "pass",
	        "AWS_SECRET_ACCESS_KEY",
	};

	for (size_t i = 0; i < sizeof(secret) / sizeof(secret[0]); i++)
		ck_assert_msg(log_name_is_secret(secret[i]), "%s", secret[i]);
}
END_TEST

START_TEST(ordinary_names_are_not_secret)
{
	/* identity_file names a key file; the path itself is no secret. */
	static const char *const plain[] = {
	        "hostname",       "ipaddr",        "userid",    "login",
	        "hostlist",       "port",          "action",    "interface",
	        "nodename",       "identity_file", "VI_SERVER", "ipmitool",
	        "monkey",         "keep_case",     "keyboard",  "hotkey",
	        "timeout_bypass", "passive",       "compass",   "passwd_method",
	        "auth_type",      "password_file", "key_file",  "keepalive",
	};

	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		ck_assert_msg(!log_name_is_secret(plain[i]), "%s", plain[i]);
}
END_TEST

START_TEST(every_occurrence_of_every_secret_is_masked)
{
	char *m;

	log_add_secret("s3cret");
	log_add_secret("hunter2");
	m = mask("a s3cret b hunter2 c s3cret,hunter2:s3cret\nhunter2");
	ck_assert_str_eq(m, "a **** b **** c ****,****:****\n****");
	free(m);
}
END_TEST

START_TEST(secret_is_masked_only_where_it_stands_whole)
{
	char *m;

	/* issue 9: passwd=a garbled "fence_vmware_soap", passwd=x
	 * "exited". A value glued to letters, digits or _ is another word. */
	log_add_secret("a");
	log_add_secret("x");
	m = mask("fence_vmware_soap: missing required parameters; exited 1");
	ck_assert_str_eq(m, "fence_vmware_soap: missing required parameters; "
	                    "exited 1");
	free(m);
	m = mask("user a, password x");
	ck_assert_str_eq(m, "user ****, password ****");
	free(m);
	m = mask("x");
	ck_assert_str_eq(m, "****");
	free(m);
}
END_TEST

START_TEST(secret_with_punctuation_at_its_ends_is_masked_in_words)
{
	char *m;

	/* An end that is not a word character needs no boundary there. */
	log_add_secret("-pw-");
	log_add_secret("S3cr3t-Pw");
	m = mask("a-pw-b user:S3cr3t-Pw@host S3cr3t-Pwx");
	ck_assert_str_eq(m, "a****b user:****@host S3cr3t-Pwx");
	free(m);
}
END_TEST

START_TEST(flag_values_are_not_secrets)
{
	char *m;

	/* ssh_use_key=1 is a flag: masking it would hide every 1. */
	log_add_secret("1");
	log_add_secret("yes");
	log_add_secret("Off");
	m = mask("exited 1: yes, off");
	ck_assert_str_eq(m, "exited 1: yes, off");
	free(m);
}
END_TEST

START_TEST(no_limit_on_the_number_of_secrets)
{
	char value[32], *m;

	/* issue 9: the 65th secret was shown in clear. */
	for (int i = 0; i < 1000; i++) {
		snprintf(value, sizeof(value), "extra-secret-%d", i);
		log_add_secret(value);
	}
	log_add_secret("RealS3cret");
	m = mask("passwd=RealS3cret extra-secret-999 extra-secret-0");
	ck_assert_str_eq(m, "passwd=**** **** ****");
	free(m);
}
END_TEST

START_TEST(half_a_mebibyte_of_a_one_character_secret_is_masked_exactly)
{
	/* issue 9: 512 KiB of "1" lines took 193 s with a quadratic mask. */
	size_t lines = 512 * 1024 / 2, n = 0;
	char *text = malloc(lines * 2), *m;

	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < lines; i++)
		memcpy(text + 2 * i, "Q\n", 2);
	log_add_secret("Q");
	m = log_mask_copy(text, lines * 2, &n);
	ck_assert_uint_eq(n, lines * 5);
	for (size_t i = 0; i < lines; i++)
		ck_assert(memcmp(m + 5 * i, "****\n", 5) == 0);
	free(m);
	free(text);
}
END_TEST

START_TEST(text_without_secrets_is_unchanged)
{
	char *m;

	m = mask("nothing to hide");
	ck_assert_str_eq(m, "nothing to hide");
	free(m);
	log_add_secret("s3cret");
	m = mask("still nothing, s3cre");
	ck_assert_str_eq(m, "still nothing, s3cre");
	free(m);
}
END_TEST

START_TEST(empty_secret_is_ignored)
{
	char *m;

	log_add_secret("");
	m = mask("abc");
	ck_assert_str_eq(m, "abc");
	free(m);
}
END_TEST

START_TEST(masking_sees_past_a_nul_byte)
{
	static const char text[] = "out\0pw=s3cret\n";
	size_t n = 0;
	char *m;

	log_add_secret("s3cret");
	m = log_mask_copy(text, sizeof(text) - 1, &n);
	ck_assert_uint_eq(n, sizeof("out\0pw=****\n") - 1);
	ck_assert_mem_eq(m, "out\0pw=****\n", n);
	ck_assert_int_eq(m[n], '\0');
	free(m);
}
END_TEST

START_TEST(secret_holding_another_secret_is_masked_whole)
{
	char *m;

	/* Whatever order they were registered in, no part of the longer
	 * secret may show. */
	log_add_secret("admin");
	log_add_secret("admin123");
	m = mask("login admin with admin123");
	ck_assert_str_eq(m, "login **** with ****");
	free(m);
}
END_TEST

START_TEST(error_messages_are_masked)
{
	struct unit_capture cap;
	char *err;

	log_add_secret("hunter2");
	unit_capture_start(&cap);
	log_error("cannot log in with hunter2");
	log_warn("hunter2 again");
	err = unit_capture_end(&cap);
	ck_assert_ptr_null(strstr(err, "hunter2"));
	ck_assert_int_eq(unit_count(err, "****"), 2);
	free(err);
}
END_TEST

START_TEST(secret_parameter_from_stdin_is_masked_in_messages)
{
	static const char input[] = "passwd=Tr0ub4dor\nuserid=admin\n";
	FILE *fp = fmemopen((void *)input, sizeof(input) - 1, "r");
	struct request req = {0};
	struct unit_capture cap;
	char *err;

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(options_read_stdin(fp, &req), 0);
	fclose(fp);
	unit_capture_start(&cap);
	log_error("plugin said: bad password Tr0ub4dor for admin");
	err = unit_capture_end(&cap);
	ck_assert_ptr_null(strstr(err, "Tr0ub4dor"));
	/* userid is no secret: its value stays readable. */
	ck_assert_ptr_nonnull(strstr(err, "for admin"));
	free(err);
	request_free(&req);
}
END_TEST

START_TEST(error_is_one_line_with_the_program_name)
{
	struct unit_capture cap;
	char *err;

	log_init("fence_hb_test");
	unit_capture_start(&cap);
	log_error("first\nsecond\r\nthird");
	err = unit_capture_end(&cap);
	ck_assert_str_eq(err, "fence_hb_test: error: first second  third\n");
	free(err);
}
END_TEST

START_TEST(traces_appear_only_when_verbose)
{
	struct unit_capture cap;
	char *err;

	log_init("fence_hb_test");
	unit_capture_start(&cap);
	log_verbose("quiet");
	log_set_verbose(1);
	log_verbose("loud");
	err = unit_capture_end(&cap);
	ck_assert_str_eq(err, "fence_hb_test: loud\n");
	free(err);
}
END_TEST

START_TEST(debug_file_gets_every_message_masked)
{
	char *dir = unit_tmpdir(), *path = unit_path(dir, "debug.log");
	char line[512];
	struct unit_capture cap;
	struct stat st;
	FILE *fp;
	int n = 0;

	log_add_secret("hunter2");
	ck_assert_int_eq(log_set_debug_file(path, 0), 0);
	unit_capture_start(&cap);
	log_verbose("trace with hunter2");
	log_error("error");
	free(unit_capture_end(&cap));
	log_close();
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	while (fgets(line, sizeof(line), fp) != NULL) {
		ck_assert_ptr_null(strstr(line, "hunter2"));
		n++;
	}
	fclose(fp);
	ck_assert_int_eq(n, 2);
	unit_rm_rf(dir);
	free(path);
	free(dir);
}
END_TEST

/* The rule of masking, written plainly: from the left, at each place
 * where a secret stands whole, the longest such secret becomes ****. */
static char *
reference_mask(const char *text, char **secrets, size_t n)
{
	size_t len = strlen(text), o = 0;
	char *out = malloc(4 * len + 1);

	ck_assert_ptr_nonnull(out);
	for (size_t at = 0; at < len;) {
		size_t best = 0;

		for (size_t i = 0; i < n; i++) {
			size_t sl = strlen(secrets[i]);
			int glued_before = at > 0 && is_word(text[at - 1]) &&
			                   is_word(secrets[i][0]);
			int glued_after = at + sl < len &&
			                  is_word(text[at + sl]) &&
			                  is_word(secrets[i][sl - 1]);

			if (sl <= len - at && sl > best && !glued_before &&
			    !glued_after &&
			    strncmp(text + at, secrets[i], sl) == 0)
				best = sl;
		}
		if (best > 0) {
			memcpy(out + o, "****", 4);
			o += 4;
			at += best;
		} else {
			out[o++] = text[at++];
		}
	}
	out[o] = '\0';
	return out;
}

START_TEST(masking_agrees_with_the_plain_rule_on_random_text)
{
	static const char alphabet[] = "ab_- ";
	char *secrets[120], text[161];
	size_t n = 0;

	srand(9);
	for (int round = 0; round < 120; round++) {
		size_t sl = 1 + (size_t)rand() % 4;
		char *v = calloc(sl + 1, 1);

		ck_assert_ptr_nonnull(v);
		for (size_t i = 0; i < sl; i++)
			v[i] = alphabet[rand() % 5];
		log_add_secret(v);
		secrets[n++] = v;
		for (int t = 0; t < 20; t++) {
			char *want, *got;

			for (size_t i = 0; i < sizeof(text) - 1; i++)
				text[i] = alphabet[rand() % 5];
			text[sizeof(text) - 1] = '\0';
			want = reference_mask(text, secrets, n);
			got = mask(text);
			ck_assert_msg(strcmp(got, want) == 0,
			              "text [%s]\ngot  [%s]\nwant [%s]", text,
			              got, want);
			free(want);
			free(got);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(secrets[i]);
}
END_TEST

/* log_set_debug_file(PATH, 1) with the log directory LOGDIR; returns
 * what it said on stderr (caller frees) and its result in *RC. */
static char *
request_debug_file(const char *logdir, const char *path, int *rc)
{
	struct unit_capture cap;

	ck_assert_int_eq(setenv("FENCE_HBWRAP_LOG_DIR", logdir, 1), 0);
	log_init("fence_hb_test");
	unit_capture_start(&cap);
	*rc = log_set_debug_file(path, 1);
	return unit_capture_end(&cap);
}

/* ERR is the one warning line a refused debug file PATH gives, and it
 * holds WHY. */
static void
assert_one_warning(const char *err, const char *path, const char *why)
{
	char *head = NULL;

	ck_assert_int_ge(asprintf(&head,
	                          "fence_hb_test: warning: debug_file '%s' "
	                          "ignored: ",
	                          path),
	                 0);
	ck_assert_msg(strncmp(err, head, strlen(head)) == 0, "[%s]", err);
	ck_assert_msg(strstr(err, why) != NULL, "[%s] lacks [%s]", err, why);
	ck_assert_int_eq(unit_count(err, "\n"), 1);
	free(head);
}

/* PATH from a request, with the log directory LOGDIR, is refused with
 * one warning saying WHY. */
static void
assert_refused(const char *logdir, const char *path, const char *why)
{
	int rc;
	char *err = request_debug_file(logdir, path, &rc);

	ck_assert_int_eq(rc, -1);
	assert_one_warning(err, path, why);
	free(err);
}

START_TEST(request_debug_file_in_log_dir_is_created_0600)
{
	char *dir = unit_tmpdir(), *path = unit_path(dir, "fence.log");
	struct stat st;
	int rc;

	free(request_debug_file(dir, path, &rc));
	ck_assert_int_eq(rc, 0);
	log_verbose("a trace");
	log_close();
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	ck_assert_int_gt(st.st_size, 0);
	free(path);
	free(dir);
}
END_TEST

START_TEST(request_debug_file_outside_log_dir_is_ignored_and_not_created)
{
	char *logdir = unit_tmpdir(), *other = unit_tmpdir();
	char *path = unit_path(other, "x"), *dotdot = NULL;

	assert_refused(logdir, path, "only a file directly in");
	ck_assert_int_eq(access(path, F_OK), -1);
	/* A way out of the directory through its name is no better. */
	ck_assert_int_ge(
	        asprintf(&dotdot, "%s/../%s", logdir, strrchr(path, '/') + 1),
	        0);
	assert_refused(logdir, dotdot, "only a file directly in");
	assert_refused(logdir, "relative.log", "only a file directly in");
	ck_assert_int_eq(access("relative.log", F_OK), -1);
	free(dotdot);
	free(path);
	free(other);
	free(logdir);
}
END_TEST

START_TEST(request_debug_file_that_is_a_fifo_is_ignored_without_blocking)
{
	char *dir = unit_tmpdir(), *path = unit_path(dir, "fifo");

	ck_assert_int_eq(mkfifo(path, 0600), 0);
	assert_refused(dir, path, "it is a FIFO");
	free(path);
	free(dir);
}
END_TEST

START_TEST(request_debug_file_that_is_a_symlink_is_ignored)
{
	char *dir = unit_tmpdir(), *target = unit_tmpdir();
	char *path = unit_path(dir, "link"), *to = unit_path(target, "t");

	/* Dangling: following it would create the file elsewhere. */
	ck_assert_int_eq(symlink(to, path), 0);
	assert_refused(dir, path, "it is a symbolic link");
	ck_assert_int_eq(access(to, F_OK), -1);
	free(to);
	free(path);
	free(target);
	free(dir);
}
END_TEST

/* A log directory that is a link (its group-writable parent let someone
 * point it at /etc) is refused: nothing is written where it points. */
START_TEST(request_debug_file_in_a_log_dir_that_is_a_symlink_is_ignored)
{
	char *top = unit_tmpdir(), *target = unit_tmpdir();
	char *link = unit_path(top, "cluster"), *path = unit_path(link, "f"),
	     *to = unit_path(target, "f");

	ck_assert_int_eq(symlink(target, link), 0);
	assert_refused(link, path, "symbolic link");
	ck_assert_int_eq(access(to, F_OK), -1);
	free(to);
	free(path);
	free(link);
	free(target);
	free(top);
}
END_TEST

START_TEST(request_debug_file_writable_by_others_is_ignored)
{
	char *dir = unit_tmpdir();
	char *open_file = unit_write_file(dir, "open.log", "", 0666);
	char *group_file = unit_write_file(dir, "group.log", "", 0620);

	assert_refused(dir, open_file, "its group or others may write");
	assert_refused(dir, group_file, "its group or others may write");
	free(group_file);
	free(open_file);
	free(dir);
}
END_TEST

START_TEST(request_debug_file_in_a_missing_log_dir_names_the_directory)
{
	char *dir = unit_tmpdir(), *gone = unit_path(dir, "gone");
	char *path = unit_path(gone, "fence.log");

	assert_refused(gone, path, "gone: No such file or directory");
	free(path);
	free(gone);
	free(dir);
}
END_TEST

START_TEST(request_debug_file_in_a_log_dir_others_may_write_is_ignored)
{
	char *dir = unit_tmpdir(), *path = unit_path(dir, "fence.log");

	ck_assert_int_eq(chmod(dir, 01777), 0);
	assert_refused(dir, path, "the log directory's group or others");
	ck_assert_int_eq(access(path, F_OK), -1);
	free(path);
	free(dir);
}
END_TEST

START_TEST(command_line_debug_file_may_be_anywhere)
{
	char *dir = unit_tmpdir(), *path = unit_path(dir, "any.log");

	ck_assert_int_eq(setenv("FENCE_HBWRAP_LOG_DIR", "/nonexistent", 1), 0);
	ck_assert_int_eq(log_set_debug_file(path, 0), 0);
	log_close();
	ck_assert_int_eq(access(path, F_OK), 0);
	free(path);
	free(dir);
}
END_TEST

START_TEST(unusable_command_line_debug_file_is_a_warning)
{
	char *dir = unit_tmpdir(), *path = unit_path(dir, "no/such.log");
	struct unit_capture cap;
	char *err;

	log_init("fence_hb_test");
	unit_capture_start(&cap);
	ck_assert_int_eq(log_set_debug_file(path, 0), -1);
	err = unit_capture_end(&cap);
	assert_one_warning(err, path, "No such file or directory");
	free(err);
	free(path);
	free(dir);
}
END_TEST

/* What "ha_log.sh ARGS..." (ARGC of them) writes on stderr, without
 * syslog, for the plugin tagged external/x. */
static char *
run_ha_log(const char *const args[], int argc)
{
	struct unit_capture cap;
	char **argv = calloc((size_t)argc + 2, sizeof(*argv));

	ck_assert_ptr_nonnull(argv);
	argv[0] = strdup("ha_log.sh");
	for (int i = 0; i < argc; i++)
		argv[i + 1] = strdup(args[i]);
	ck_assert_int_eq(setenv("HA_LOGFACILITY", "none", 1), 0);
	ck_assert_int_eq(setenv("HA_LOGTAG", "external/x", 1), 0);
	unsetenv("HA_LOGFILE");
	unsetenv("HA_DEBUGLOG");
	unit_capture_start(&cap);
	ck_assert_int_eq(halog_main(argc + 1, argv), 0);
	for (int i = 0; i <= argc; i++)
		free(argv[i]);
	free(argv);
	return unit_capture_end(&cap);
}

START_TEST(ha_log_message_stays_on_one_line)
{
	/* issue 9: a plugin forged a line of the shim through ha_log.sh. */
	static const char *const args[] = {
	        "info", "first\nfence_hb_x: error: forged", "and\r\nmore"};
	char *err = run_ha_log(args, 3);

	ck_assert_int_eq(unit_count(err, "\n"), 1);
	ck_assert_ptr_nonnull(strstr(err, ": info: first fence_hb_x: error: "
	                                  "forged and  more\n"));
	free(err);
}
END_TEST

START_TEST(ha_log_lines_are_recognised_with_their_priority)
{
	static const char *const args[] = {"err", "it broke"};
	char *err = run_ha_log(args, 2);
	static const char info[] = "external/x[12]: info: fine";
	static const char *const not_ha_log[] = {
	        "external/x: info: no pid",
	        "external/y[12]: info: another plugin's tag",
	        "external/x[12]: INFO: no such label",
	        "external/x[]: info: empty pid",
	        "plain text",
	};

	ck_assert_int_eq(
	        halog_line_priority(err, strlen(err) - 1, "external/x"),
	        LOG_ERR);
	ck_assert_int_eq(halog_line_priority(info, strlen(info), "external/x"),
	                 LOG_INFO);
	for (size_t i = 0; i < sizeof(not_ha_log) / sizeof(*not_ha_log); i++)
		ck_assert_msg(halog_line_priority(not_ha_log[i],
		                                  strlen(not_ha_log[i]),
		                                  "external/x") == -1,
		              "%s", not_ha_log[i]);
	free(err);
}
END_TEST

static Suite *
log_suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("secrets");

	tcase_add_test(tc, password_like_names_are_secret);
	tcase_add_test(tc, ordinary_names_are_not_secret);
	tcase_add_test(tc, every_occurrence_of_every_secret_is_masked);
	tcase_add_test(tc, secret_is_masked_only_where_it_stands_whole);
	tcase_add_test(tc,
	               secret_with_punctuation_at_its_ends_is_masked_in_words);
	tcase_add_test(tc, flag_values_are_not_secrets);
	tcase_add_test(tc, no_limit_on_the_number_of_secrets);
	tcase_add_test(
	        tc,
	        half_a_mebibyte_of_a_one_character_secret_is_masked_exactly);
	tcase_add_test(tc, masking_agrees_with_the_plain_rule_on_random_text);
	tcase_add_test(tc, text_without_secrets_is_unchanged);
	tcase_add_test(tc, empty_secret_is_ignored);
	tcase_add_test(tc, masking_sees_past_a_nul_byte);
	tcase_add_test(tc, secret_holding_another_secret_is_masked_whole);
	tcase_add_test(tc, error_messages_are_masked);
	tcase_add_test(tc, secret_parameter_from_stdin_is_masked_in_messages);
	suite_add_tcase(s, tc);

	tc = tcase_create("messages");
	tcase_add_unchecked_fixture(tc, unit_root_setup, unit_root_teardown);
	tcase_add_test(tc, error_is_one_line_with_the_program_name);
	tcase_add_test(tc, traces_appear_only_when_verbose);
	tcase_add_test(tc, debug_file_gets_every_message_masked);
	suite_add_tcase(s, tc);

	tc = tcase_create("debug_file");
	tcase_add_unchecked_fixture(tc, unit_root_setup, unit_root_teardown);
	tcase_add_test(tc, request_debug_file_in_log_dir_is_created_0600);
	tcase_add_test(
	        tc,
	        request_debug_file_outside_log_dir_is_ignored_and_not_created);
	tcase_add_test(
	        tc,
	        request_debug_file_that_is_a_fifo_is_ignored_without_blocking);
	tcase_add_test(tc, request_debug_file_that_is_a_symlink_is_ignored);
	tcase_add_test(
	        tc,
	        request_debug_file_in_a_log_dir_that_is_a_symlink_is_ignored);
	tcase_add_test(tc, request_debug_file_writable_by_others_is_ignored);
	tcase_add_test(
	        tc,
	        request_debug_file_in_a_log_dir_others_may_write_is_ignored);
	tcase_add_test(
	        tc,
	        request_debug_file_in_a_missing_log_dir_names_the_directory);
	tcase_add_test(tc, command_line_debug_file_may_be_anywhere);
	tcase_add_test(tc, unusable_command_line_debug_file_is_a_warning);
	suite_add_tcase(s, tc);

	tc = tcase_create("ha_log.sh");
	tcase_add_test(tc, ha_log_message_stays_on_one_line);
	tcase_add_test(tc, ha_log_lines_are_recognised_with_their_priority);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	/* Secrets, verbosity and the debug file are process-wide. */
	return unit_run(log_suite(), CK_FORK);
}
