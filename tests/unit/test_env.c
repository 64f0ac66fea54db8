/*
 * test_env.c - the plugin's environment, built from nothing (src/env.c).
 */
#define _GNU_SOURCE
#include "unit.h"

#include "env.h"

#define HELPERS "/opt/hbwrap/helpers"

/* A caller's environment with keep-list names and dangerous ones. */
static char *const caller_env[] = {
        (char *)"HOME=/root",
        (char *)"LANG=C.UTF-8",
        (char *)"LC_ALL=C",
        (char *)"TZ=UTC",
        (char *)"HA_debug=1",
        (char *)"HA_LOGFACILITY=daemon",
        (char *)"PATH=/home/evil/bin:/usr/bin",
        (char *)"LD_PRELOAD=/tmp/evil.so",
        (char *)"LD_LIBRARY_PATH=/tmp",
        (char *)"BASH_ENV=/tmp/evil.sh",
        (char *)"IFS=x",
        (char *)"SHELL=/bin/bash",
        (char *)"PCMK_service=pacemaker-fenced",
        (char *)"HA_LOGTAG=pacemaker",
        (char *)"SECRET_TOKEN=s3cret",
        (char *)"ipaddr=from-the-caller",
        NULL,
};

/* The value of NAME in ENVP, or NULL; the test fails if NAME is there
 * more than once. */
static const char *
get(char **envp, const char *name)
{
	size_t n = strlen(name);
	const char *found = NULL;

	for (char **p = envp; *p; p++) {
		if (strncmp(*p, name, n) == 0 && (*p)[n] == '=') {
			ck_assert_msg(found == NULL, "%s set twice", name);
			found = *p + n + 1;
		}
	}
	return found;
}

static int
in_keep_list(const char *entry)
{
	for (const char *const *k = env_keep_list; *k; k++) {
		size_t n = strlen(*k);

		if (strncmp(entry, *k, n) == 0 && entry[n] == '=')
			return 1;
	}
	return 0;
}

/* env_build() from ENVIRON_IN and the name=value pairs of PAIRS
 * (NULL-terminated); fails the test if it refuses. */
static char **
build(char *const *environ_in, const char *const *pairs)
{
	struct params p = {0};
	char **envp;

	for (size_t i = 0; pairs[i] != NULL; i += 2)
		ck_assert_int_eq(params_set(&p, pairs[i], pairs[i + 1]), 0);
	envp = env_build(environ_in, "ipmi", HELPERS, &p);
	params_free(&p);
	ck_assert_ptr_nonnull(envp);
	return envp;
}

#define PAIRS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* env_build() with one parameter NAME must fail, naming it. */
static void
assert_parameter_refused(const char *name)
{
	struct params p = {0};
	struct unit_capture cap;
	char **envp, *err;

	ck_assert_int_eq(params_set(&p, "hostlist", "n1"), 0);
	ck_assert_int_eq(params_set(&p, name, "/tmp/x"), 0);
	unit_capture_start(&cap);
	envp = env_build(caller_env, "ipmi", HELPERS, &p);
	err = unit_capture_end(&cap);
	ck_assert_msg(envp == NULL, "parameter %s was exported", name);
	ck_assert_msg(strstr(err, name) != NULL, "error does not name %s: %s",
	              name, err);
	ck_assert_int_eq(unit_count(err, "\n"), 1);
	free(err);
	params_free(&p);
}

START_TEST(only_keep_list_variables_come_from_the_caller)
{
	char **envp = build(caller_env, PAIRS("hostlist", "n1"));

	for (char **e = envp; *e; e++) {
		if (strncmp(*e, "PATH=", 5) == 0 ||
		    strncmp(*e, "HA_LOGTAG=", 10) == 0 ||
		    strcmp(*e, "hostlist=n1") == 0)
			continue;
		ck_assert_msg(in_keep_list(*e), "unexpected %s", *e);
	}
	ck_assert_pstr_eq(get(envp, "HOME"), "/root");
	ck_assert_pstr_eq(get(envp, "LANG"), "C.UTF-8");
	ck_assert_pstr_eq(get(envp, "LC_ALL"), "C");
	ck_assert_pstr_eq(get(envp, "TZ"), "UTC");
	ck_assert_pstr_eq(get(envp, "HA_debug"), "1");
	ck_assert_pstr_eq(get(envp, "HA_LOGFACILITY"), "daemon");
	ck_assert_ptr_null(get(envp, "LD_PRELOAD"));
	ck_assert_ptr_null(get(envp, "LD_LIBRARY_PATH"));
	ck_assert_ptr_null(get(envp, "BASH_ENV"));
	ck_assert_ptr_null(get(envp, "IFS"));
	ck_assert_ptr_null(get(envp, "SHELL"));
	ck_assert_ptr_null(get(envp, "PCMK_service"));
	ck_assert_ptr_null(get(envp, "SECRET_TOKEN"));
	ck_assert_ptr_null(get(envp, "ipaddr"));
	env_free(envp);
}
END_TEST

START_TEST(empty_caller_environment_is_fine)
{
	char *const none[] = {NULL};
	char **envp = build(none, PAIRS("hostlist", "n1"));

	ck_assert_ptr_nonnull(get(envp, "PATH"));
	ck_assert_pstr_eq(get(envp, "HA_LOGTAG"), "external/ipmi");
	ck_assert_pstr_eq(get(envp, "hostlist"), "n1");
	ck_assert_ptr_null(envp[3]);
	env_free(envp);
	envp = build(NULL, PAIRS("hostlist", "n1"));
	ck_assert_ptr_null(envp[3]);
	env_free(envp);
}
END_TEST

START_TEST(path_starts_with_the_helper_dir)
{
	char **envp = build(caller_env, PAIRS("hostlist", "n1"));
	const char *path = get(envp, "PATH");

	ck_assert_ptr_nonnull(path);
	ck_assert_msg(strncmp(path, HELPERS ":", strlen(HELPERS ":")) == 0,
	              "PATH=%s", path);
	ck_assert_ptr_null(strstr(path, "evil"));
	ck_assert_ptr_nonnull(strstr(path, "/usr/bin"));
	ck_assert_ptr_nonnull(strstr(path, "/bin"));
	env_free(envp);
}
END_TEST

START_TEST(ha_logtag_names_the_plugin)
{
	char **envp = build(caller_env, PAIRS("hostlist", "n1"));

	ck_assert_pstr_eq(get(envp, "HA_LOGTAG"), "external/ipmi");
	env_free(envp);
}
END_TEST

START_TEST(parameters_are_exported_as_given)
{
	char **envp =
	        build(caller_env,
	              PAIRS("hostlist", "n1 n2", "ipaddr", "10.0.0.1",
	                    "VI_SERVER", "vc1", "passwd", "a b;$(c)",
	                    "PERL_LWP_SSL_VERIFY_HOSTNAME", "0", "priv", ""));

	ck_assert_pstr_eq(get(envp, "hostlist"), "n1 n2");
	ck_assert_pstr_eq(get(envp, "ipaddr"), "10.0.0.1");
	ck_assert_pstr_eq(get(envp, "VI_SERVER"), "vc1");
	ck_assert_pstr_eq(get(envp, "passwd"), "a b;$(c)");
	ck_assert_pstr_eq(get(envp, "PERL_LWP_SSL_VERIFY_HOSTNAME"), "0");
	ck_assert_pstr_eq(get(envp, "priv"), "");
	env_free(envp);
}
END_TEST

START_TEST(shim_only_options_are_not_exported)
{
	char **envp = build(caller_env,
	                    PAIRS("action", "reboot", "port", "n1", "plug",
	                          "n1", "plugin", "ipmi", "verbose", "1",
	                          "debug_file", "/tmp/d", "plugin_timeout", "5",
	                          "delay", "1", "retry_on", "2", "method",
	                          "onoff", "hostlist", "n1"));

	for (size_t i = 0; i < option_count; i++)
		if (strcmp(option_table[i].name, "nodename") != 0)
			ck_assert_msg(get(envp, option_table[i].name) == NULL,
			              "%s exported", option_table[i].name);
	ck_assert_pstr_eq(get(envp, "hostlist"), "n1");
	env_free(envp);
}
END_TEST

START_TEST(nodename_is_exported)
{
	char **envp =
	        build(caller_env, PAIRS("nodename", "node-a", "port", "n1"));

	ck_assert_pstr_eq(get(envp, "nodename"), "node-a");
	env_free(envp);
}
END_TEST

START_TEST(refused_names_make_env_build_fail)
{
	static const char *const refused[] = {
	        "LD_PRELOAD",
	        "LD_LIBRARY_PATH",
	        "LD_AUDIT",
	        "BASH_ENV",
	        "ENV",
	        "SHELLOPTS",
	        "PS4",
	        "PYTHONPATH",
	        "PYTHONHOME",
	        "PYTHONSTARTUP",
	        "PERL5LIB",
	        "PERL5OPT",
	        "PERLLIB",
	        "RUBYOPT",
	        "NODE_OPTIONS",
	        "GLIBC_TUNABLES",
	        "MALLOC_ARENA_MAX",
	        "MALLOC_CHECK_",
	        "BASH_FUNC_x",
	        "PATH",
	        "IFS",
	        "HOME",
	        "HA_LOGTAG",
	        "GCONV_PATH",
	        "TMPDIR",
	        "OPENSSL_CONF",
	        "JAVA_TOOL_OPTIONS",
	};

	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		assert_parameter_refused(refused[i]);
}
END_TEST

START_TEST(name_that_is_no_variable_name_makes_env_build_fail)
{
	assert_parameter_refused("a.b");
	assert_parameter_refused("BASH_FUNC_x%%");
}
END_TEST

START_TEST(parameter_overrides_a_keep_list_variable)
{
	char **envp = build(caller_env, PAIRS("LANG", "de_DE.UTF-8"));

	ck_assert_pstr_eq(get(envp, "LANG"), "de_DE.UTF-8");
	env_free(envp);
}
END_TEST

START_TEST(home_comes_only_from_the_callers_environment)
{
	char **envp = build(caller_env, PAIRS("hostlist", "n1"));

	ck_assert_pstr_eq(get(envp, "HOME"), "/root");
	env_free(envp);
	assert_parameter_refused("HOME");
}
END_TEST

START_TEST(env_name_refused_says_why)
{
	ck_assert_ptr_nonnull(strstr(env_name_refused("PATH"), "shim sets"));
	ck_assert_ptr_nonnull(
	        strstr(env_name_refused("HA_LOGTAG"), "shim sets"));
	ck_assert_ptr_nonnull(env_name_refused("LD_PRELOAD"));
	ck_assert_ptr_nonnull(env_name_refused("BASH_ENV"));
	ck_assert_ptr_nonnull(env_name_refused("PYTHONPATH"));
	ck_assert_ptr_nonnull(env_name_refused("PERL5LIB"));
	ck_assert_ptr_nonnull(env_name_refused("GLIBC_TUNABLES"));
	ck_assert_ptr_nonnull(env_name_refused("MALLOC_ARENA_MAX"));
	ck_assert_ptr_nonnull(env_name_refused("BASH_FUNC_x"));
	ck_assert_ptr_nonnull(env_name_refused("IFS"));
}
END_TEST

START_TEST(env_name_refused_accepts_plugin_parameters)
{
	static const char *const ok[] = {
	        "hostlist",     "hostname", "ipaddr",
	        "userid",       "passwd",   "interface",
	        "VI_SERVER",    "HOSTLIST", "PERL_LWP_SSL_VERIFY_HOSTNAME",
	        "LANG",         "LC_ALL",   "nodename",
	        "ld_preload_x", "pathname", "home_dir",
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		ck_assert_msg(env_name_refused(ok[i]) == NULL, "%s: %s", ok[i],
		              env_name_refused(ok[i]));
}
END_TEST

START_TEST(keep_list_names_refused_as_parameters_are_home_tz_and_log_files)
{
	/* Kept from the caller, never taken from a request: a request
	 * naming a file would make root read or append to it. */
	static const char *const caller_only =
	        " HOME TZ HA_LOGFILE HA_DEBUGLOG ";

	for (const char *const *k = env_keep_list; *k; k++) {
		char *word = NULL;
		int only;

		ck_assert_int_ge(asprintf(&word, " %s ", *k), 0);
		only = strstr(caller_only, word) != NULL;
		free(word);
		ck_assert_msg((env_name_refused(*k) != NULL) == only, "%s", *k);
	}
}
END_TEST

static Suite *
env_suite(void)
{
	Suite *s = suite_create("env");
	TCase *tc = tcase_create("env_build");

	tcase_add_test(tc, only_keep_list_variables_come_from_the_caller);
	tcase_add_test(tc, empty_caller_environment_is_fine);
	tcase_add_test(tc, path_starts_with_the_helper_dir);
	tcase_add_test(tc, ha_logtag_names_the_plugin);
	tcase_add_test(tc, parameters_are_exported_as_given);
	tcase_add_test(tc, shim_only_options_are_not_exported);
	tcase_add_test(tc, nodename_is_exported);
	tcase_add_test(tc, refused_names_make_env_build_fail);
	tcase_add_test(tc, name_that_is_no_variable_name_makes_env_build_fail);
	tcase_add_test(tc, parameter_overrides_a_keep_list_variable);
	tcase_add_test(tc, home_comes_only_from_the_callers_environment);
	suite_add_tcase(s, tc);

	tc = tcase_create("env_name_refused");
	tcase_add_test(tc, env_name_refused_says_why);
	tcase_add_test(tc, env_name_refused_accepts_plugin_parameters);
	tcase_add_test(
	        tc,
	        keep_list_names_refused_as_parameters_are_home_tz_and_log_files);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(env_suite(), CK_FORK_GETENV);
}
