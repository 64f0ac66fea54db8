/*
 * test_env.c - the plugin's environment, built from nothing (src/env.c).
 */
#define _GNU_SOURCE
#include "unit.h"

#include "declared.h"
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
        (char *)"PATH=:bin:/usr/local/bin::.:/usr/bin",
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

START_TEST(path_is_helpers_then_absolute_entries_of_the_callers_path)
{
	char **envp = build(caller_env, PAIRS("hostlist", "n1"));

	ck_assert_pstr_eq(get(envp, "PATH"),
	                  HELPERS ":/usr/local/bin:/usr/bin");
	env_free(envp);
}
END_TEST

START_TEST(path_is_the_system_default_without_an_absolute_caller_entry)
{
	static char *const relative_only[] = {(char *)"PATH=.:bin::", NULL};
	char *p;

	p = env_plugin_path(relative_only, HELPERS);
	ck_assert_pstr_eq(p, HELPERS ":/usr/sbin:/usr/bin:/sbin:/bin");
	free(p);
	p = env_plugin_path(NULL, HELPERS);
	ck_assert_pstr_eq(p, HELPERS ":/usr/sbin:/usr/bin:/sbin:/bin");
	free(p);
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
	/* The device tools' configuration and module paths (issue 15). */
	ck_assert_ptr_nonnull(env_name_refused("CURL_HOME"));
	ck_assert_ptr_nonnull(env_name_refused("WGETRC"));
	ck_assert_ptr_nonnull(env_name_refused("SNMPCONFPATH"));
	ck_assert_ptr_nonnull(env_name_refused("TCL_LIBRARY"));
	ck_assert_ptr_nonnull(env_name_refused("GIT_SSH_COMMAND"));
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

/* A declared list of the white-space separated WORDS. */
static struct declared
declare(const char *words)
{
	struct declared d = {0};

	declared_add_words(&d, words);
	return d;
}

/* env_build_declared() for the pairs PAIRS against the names WORDS;
 * NULL if refused, and the captured stderr in *ERR (caller frees). */
static char **
build_declared(const char *words, const char *const *pairs, const char *target,
               char **err)
{
	struct declared d = declare(words);
	struct params p = {0};
	struct unit_capture cap;
	char **envp;

	for (size_t i = 0; pairs[i] != NULL; i += 2)
		ck_assert_int_eq(params_set(&p, pairs[i], pairs[i + 1]), 0);
	unit_capture_start(&cap);
	envp = env_build_declared(caller_env, "ipmi", HELPERS, &p, &d, target);
	*err = unit_capture_end(&cap);
	params_free(&p);
	declared_free(&d);
	return envp;
}

START_TEST(undeclared_names_never_reach_the_plugin_and_are_named)
{
	static const char *const attacks[] = {
	        "CURL_HOME", "WGETRC",   "TCL_LIBRARY",
	        "LANGUAGE",  "hostlsit", "SNMP_PERSISTENT_DIR",
	};

	for (size_t i = 0; i < sizeof(attacks) / sizeof(*attacks); i++) {
		char *err;
		char **envp = build_declared(
		        "hostname ipaddr userid passwd",
		        PAIRS("hostname", "n1", attacks[i], "/tmp/evil"), "n1",
		        &err);

		ck_assert_msg(envp == NULL, "%s was exported", attacks[i]);
		ck_assert_msg(strstr(err, attacks[i]) != NULL, "%s", err);
		ck_assert_ptr_nonnull(strstr(
		        err, "declares: hostname, ipaddr, userid, passwd"));
		ck_assert_int_eq(unit_count(err, "\n"), 1);
		free(err);
	}
}
END_TEST

START_TEST(declared_names_and_nodename_reach_the_plugin)
{
	char *err;
	char **envp = build_declared("hostname ipaddr",
	                             PAIRS("hostname", "n1", "ipaddr",
	                                   "10.0.0.1", "nodename", "n1",
	                                   "action", "reboot", "port", "n1"),
	                             "n1", &err);

	ck_assert_ptr_nonnull(envp);
	ck_assert_pstr_eq(get(envp, "hostname"), "n1");
	ck_assert_pstr_eq(get(envp, "ipaddr"), "10.0.0.1");
	ck_assert_pstr_eq(get(envp, "nodename"), "n1");
	ck_assert_ptr_null(get(envp, "port"));
	ck_assert_ptr_null(get(envp, "action"));
	env_free(envp);
	free(err);
}
END_TEST

START_TEST(plugin_declaring_nothing_gets_no_parameter)
{
	char *err;
	char **envp = build_declared("", PAIRS("nodename", "n1"), "n1", &err);

	ck_assert_ptr_nonnull(envp);
	ck_assert_pstr_eq(get(envp, "nodename"), "n1");
	env_free(envp);
	free(err);
	envp = build_declared("", PAIRS("hostlist", "n1"), "n1", &err);
	ck_assert_ptr_null(envp);
	ck_assert_ptr_nonnull(strstr(err, "'hostlist'"));
	ck_assert_ptr_nonnull(strstr(err, "declares: none"));
	free(err);
}
END_TEST

START_TEST(declared_name_on_the_deny_list_is_still_refused)
{
	char *err;
	char **envp =
	        build_declared("LD_PRELOAD hostlist",
	                       PAIRS("LD_PRELOAD", "/tmp/x.so"), NULL, &err);

	ck_assert_ptr_null(envp);
	ck_assert_ptr_nonnull(strstr(err, "'LD_PRELOAD' refused"));
	free(err);
}
END_TEST

START_TEST(declared_port_gets_the_target)
{
	char *err;
	char **envp = build_declared(
	        "port region",
	        PAIRS("action", "reboot", "plug", "Node2", "region", "eu"),
	        "node2", &err);

	ck_assert_ptr_nonnull(envp);
	ck_assert_pstr_eq(get(envp, "port"), "node2");
	ck_assert_pstr_eq(get(envp, "region"), "eu");
	ck_assert_ptr_null(get(envp, "plug"));
	env_free(envp);
	free(err);
}
END_TEST

START_TEST(declared_shim_option_gets_the_requests_value)
{
	char *err;
	char **envp = build_declared("delay verbose",
	                             PAIRS("delay", "0", "action", "off"), "n1",
	                             &err);

	ck_assert_ptr_nonnull(envp);
	ck_assert_pstr_eq(get(envp, "delay"), "0");
	ck_assert_ptr_null(get(envp, "verbose"));
	env_free(envp);
	free(err);
}
END_TEST

START_TEST(no_declared_list_passes_no_request_parameter)
{
	struct params p = {0};
	char **envp;

	ck_assert_int_eq(params_set(&p, "hostlist", "n1"), 0);
	ck_assert_int_eq(params_set(&p, "nodename", "n1"), 0);
	envp = env_build_declared(caller_env, "ipmi", HELPERS, &p, NULL, "n1");
	ck_assert_ptr_nonnull(envp);
	ck_assert_ptr_null(get(envp, "hostlist"));
	ck_assert_ptr_null(get(envp, "nodename"));
	ck_assert_ptr_nonnull(get(envp, "PATH"));
	env_free(envp);
	params_free(&p);
}
END_TEST

START_TEST(declared_names_come_from_xml_and_confignames_exactly)
{
	struct declared d = {0};
	struct plugin_info info = {0};
	char *why = NULL;
	const char *xml =
	        "<parameters><parameter name=\"hostlist\"><shortdesc>a & "
	        "b</shortdesc></parameter><parameter name=\"port\"/>"
	        "<parameter name=\"bad name\"/></parameters>";

	/* Recovered: what a flawed description names is still declared. */
	ck_assert_int_eq(meta_parse_params(xml, strlen(xml), &info, &why), 1);
	free(why);
	meta_apply_confignames(&info, "ipaddr\nhostlist  userid\t");
	declared_add_info(&d, &info);
	meta_info_free(&info);
	ck_assert_uint_eq(d.n, 4);
	ck_assert(declared_has(&d, "hostlist"));
	ck_assert(declared_has(&d, "port"));
	ck_assert(declared_has(&d, "ipaddr"));
	ck_assert(declared_has(&d, "userid"));
	ck_assert(!declared_has(&d, "HOSTLIST"));
	ck_assert(!declared_has(&d, "host"));
	declared_free(&d);
	/* getconfignames that is no list of names declares nothing. */
	xml = "<parameters><parameter name=\"ipaddr\"/>"
	      "<parameter name=\"login\"/></parameters>";
	ck_assert_int_eq(meta_parse_params(xml, strlen(xml), &info, &why), 0);
	meta_apply_confignames(&info, "ipaddrlogin");
	declared_add_info(&d, &info);
	meta_info_free(&info);
	ck_assert_uint_eq(d.n, 2);
	ck_assert(!declared_has(&d, "ipaddrlogin"));
	declared_free(&d);
	xml = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/shadow\">]>"
	      "<parameters><parameter name=\"a\"/></parameters>";
	ck_assert_int_eq(meta_parse_params(xml, strlen(xml), &info, &why), -1);
	declared_add_info(&d, &info);
	meta_info_free(&info);
	ck_assert_uint_eq(d.n, 0);
	free(why);
}
END_TEST

static Suite *
env_suite(void)
{
	Suite *s = suite_create("env");
	TCase *tc = tcase_create("env_build");

	tcase_add_test(tc, only_keep_list_variables_come_from_the_caller);
	tcase_add_test(tc, empty_caller_environment_is_fine);
	tcase_add_test(
	        tc, path_is_helpers_then_absolute_entries_of_the_callers_path);
	tcase_add_test(
	        tc,
	        path_is_the_system_default_without_an_absolute_caller_entry);
	tcase_add_test(tc, ha_logtag_names_the_plugin);
	tcase_add_test(tc, parameters_are_exported_as_given);
	tcase_add_test(tc, shim_only_options_are_not_exported);
	tcase_add_test(tc, nodename_is_exported);
	tcase_add_test(tc, refused_names_make_env_build_fail);
	tcase_add_test(tc, name_that_is_no_variable_name_makes_env_build_fail);
	tcase_add_test(tc, parameter_overrides_a_keep_list_variable);
	tcase_add_test(tc, home_comes_only_from_the_callers_environment);
	suite_add_tcase(s, tc);

	tc = tcase_create("allow_list");
	tcase_add_test(tc,
	               undeclared_names_never_reach_the_plugin_and_are_named);
	tcase_add_test(tc, declared_names_and_nodename_reach_the_plugin);
	tcase_add_test(tc, plugin_declaring_nothing_gets_no_parameter);
	tcase_add_test(tc, declared_name_on_the_deny_list_is_still_refused);
	tcase_add_test(tc, declared_port_gets_the_target);
	tcase_add_test(tc, declared_shim_option_gets_the_requests_value);
	tcase_add_test(tc, no_declared_list_passes_no_request_parameter);
	tcase_add_test(tc,
	               declared_names_come_from_xml_and_confignames_exactly);
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
