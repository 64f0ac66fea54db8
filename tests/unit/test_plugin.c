/*
 * test_plugin.c - which plugin an invocation means, and whether its file
 * may be run (src/plugin.c).
 */
#define _GNU_SOURCE
#include "unit.h"

#include <limits.h>

#include "plugin.h"

static const char script[] = "#!/bin/sh\nexit 0\n";

/* plugin_resolve(PROGNAME, PARAM) with its error captured in *ERR. */
static const char *
resolve(const char *progname, const char *param, char **err)
{
	struct unit_capture cap;
	const char *r;

	unit_capture_start(&cap);
	r = plugin_resolve(progname, param);
	*err = unit_capture_end(&cap);
	return r;
}

/* plugin_check_file() on NAME in directory D must refuse it with a
 * reason holding WORDS. */
static void
assert_refused_in(const char *d, const char *name, const char *words)
{
	char *path = (char *)"unset", *why = plugin_check_file(d, name, &path);

	ck_assert_msg(why != NULL, "%s/%s accepted", d, name);
	ck_assert_ptr_null(path);
	ck_assert_msg(strstr(why, words) != NULL, "reason '%s' lacks '%s'", why,
	              words);
	free(why);
}

static void
assert_refused(const char *name, const char *words)
{
	assert_refused_in(unit_dir, name, words);
}

static void
assert_accepted(const char *name)
{
	char *path = NULL, *why = plugin_check_file(unit_dir, name, &path),
	     *expect = unit_path(unit_dir, name);

	ck_assert_msg(why == NULL, "%s refused: %s", name, why);
	ck_assert_pstr_eq(path, expect);
	free(path);
	free(expect);
}

/* ---- names ------------------------------------------------------------ */

START_TEST(personality_prefix_names_the_plugin)
{
	ck_assert_pstr_eq(personality_plugin("fence_hb_ipmi"), "ipmi");
	ck_assert_pstr_eq(personality_plugin("fence_hb_ibmrsa-telnet"),
	                  "ibmrsa-telnet");
}
END_TEST

START_TEST(generic_name_names_no_plugin)
{
	ck_assert_ptr_null(personality_plugin("fence_hbwrap"));
}
END_TEST

START_TEST(bare_prefix_names_no_plugin)
{
	ck_assert_ptr_null(personality_plugin("fence_hb_"));
	ck_assert_ptr_null(personality_plugin("fence_hb"));
	ck_assert_ptr_null(personality_plugin("fence_ipmilan"));
	ck_assert_ptr_null(personality_plugin("xfence_hb_ipmi"));
	ck_assert_ptr_null(personality_plugin(""));
}
END_TEST

START_TEST(program_name_gives_the_plugin)
{
	char *err;

	ck_assert_pstr_eq(resolve("fence_hb_ipmi", NULL, &err), "ipmi");
	ck_assert_str_eq(err, "");
	free(err);
}
END_TEST

START_TEST(plugin_parameter_gives_the_plugin_to_the_generic_name)
{
	char *err;

	ck_assert_pstr_eq(resolve("fence_hbwrap", "ssh", &err), "ssh");
	free(err);
}
END_TEST

START_TEST(external_prefix_is_stripped)
{
	char *err;

	ck_assert_pstr_eq(resolve("fence_hbwrap", "external/ssh", &err), "ssh");
	free(err);
	/* The same plugin both ways is no conflict. */
	ck_assert_pstr_eq(resolve("fence_hb_ssh", "external/ssh", &err), "ssh");
	free(err);
	ck_assert_pstr_eq(resolve("fence_hb_ssh", "ssh", &err), "ssh");
	free(err);
}
END_TEST

START_TEST(plugin_parameter_conflicting_with_the_name_is_refused)
{
	char *err;

	ck_assert_ptr_null(resolve("fence_hb_ipmi", "ssh", &err));
	ck_assert_ptr_nonnull(strstr(err, "conflicts"));
	free(err);
	ck_assert_ptr_null(resolve("fence_hb_ipmi", "external/ssh", &err));
	free(err);
}
END_TEST

START_TEST(no_plugin_given_is_refused)
{
	char *err;

	ck_assert_ptr_null(resolve("fence_hbwrap", NULL, &err));
	ck_assert_ptr_nonnull(strstr(err, "no plugin given"));
	free(err);
}
END_TEST

START_TEST(path_as_plugin_is_refused)
{
	static const char *const bad[] = {
	        "../x", "a/b", "/bin/sh", "external/../x", "external/a/b",
	        "..",   ".",   "",        "external/",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *err;

		ck_assert_msg(resolve("fence_hbwrap", bad[i], &err) == NULL,
		              "plugin=%s accepted", bad[i]);
		ck_assert_msg(strstr(err, "refused") != NULL, "%s: %s", bad[i],
		              err);
		free(err);
	}
}
END_TEST

START_TEST(bad_name_after_the_prefix_is_refused)
{
	char *err;

	ck_assert_ptr_null(resolve("fence_hb_.hidden", NULL, &err));
	free(err);
	ck_assert_ptr_null(resolve("fence_hb_-x", NULL, &err));
	free(err);
}
END_TEST

START_TEST(plugin_names_of_real_plugins_are_acceptable)
{
	static const char *const good[] = {
	        "ipmi",    "ibmrsa-telnet", "xen0-ha", "dracmc-telnet",
	        "rackpdu", "a+b_c.d",       "X1",
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(plugin_name_problem(good[i]) == NULL, "%s: %s",
		              good[i], plugin_name_problem(good[i]));
}
END_TEST

START_TEST(plugin_name_problem_says_why)
{
	char longname[NAME_MAX + 2];

	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ck_assert_ptr_nonnull(strstr(plugin_name_problem(""), "empty"));
	ck_assert_ptr_nonnull(strstr(plugin_name_problem("a/b"), "not a path"));
	ck_assert_ptr_nonnull(strstr(plugin_name_problem("../x"), "path"));
	ck_assert_ptr_nonnull(strstr(plugin_name_problem(".x"), "start"));
	ck_assert_ptr_nonnull(strstr(plugin_name_problem("-x"), "start"));
	ck_assert_ptr_nonnull(strstr(plugin_name_problem("a b"), "only"));
	ck_assert_ptr_nonnull(strstr(plugin_name_problem("a;b"), "only"));
	ck_assert_ptr_nonnull(strstr(plugin_name_problem("a$(x)"), "only"));
	ck_assert_ptr_nonnull(
	        strstr(plugin_name_problem("\xc3\xa9t\xc3\xa9"), "only"));
	ck_assert_ptr_nonnull(strstr(plugin_name_problem(longname), "long"));
	longname[NAME_MAX] = '\0';
	ck_assert_ptr_null(plugin_name_problem(longname));
}
END_TEST

/* ---- files ------------------------------------------------------------ */

START_TEST(regular_executable_is_accepted)
{
	free(unit_write_file(unit_dir, "good", script, 0755));
	assert_accepted("good");
	free(unit_write_file(unit_dir, "private", script, 0700));
	assert_accepted("private");
}
END_TEST

START_TEST(file_that_is_not_executable_is_refused)
{
	free(unit_write_file(unit_dir, "plain", script, 0644));
	assert_refused("plain", "not executable");
}
END_TEST

START_TEST(file_executable_only_by_others_is_refused)
{
	free(unit_write_file(unit_dir, "odd", script, 0645));
	assert_refused("odd", "not executable");
}
END_TEST

START_TEST(group_writable_file_is_refused)
{
	free(unit_write_file(unit_dir, "gw", script, 0775));
	assert_refused("gw", "writable by its group");
}
END_TEST

START_TEST(other_writable_file_is_refused)
{
	free(unit_write_file(unit_dir, "ow", script, 0757));
	assert_refused("ow", "writable by others");
	free(unit_write_file(unit_dir, "all", script, 0777));
	assert_refused("all", "writable");
}
END_TEST

START_TEST(directory_is_refused)
{
	char *p = unit_path(unit_dir, "sub");

	ck_assert_int_eq(mkdir(p, 0755), 0);
	assert_refused("sub", "not a regular file");
	free(p);
}
END_TEST

START_TEST(fifo_is_refused)
{
	char *p = unit_path(unit_dir, "fifo");

	ck_assert_int_eq(mkfifo(p, 0755), 0);
	assert_refused("fifo", "not a regular file");
	free(p);
}
END_TEST

START_TEST(symlink_to_a_plugin_inside_the_directory_is_accepted)
{
	char *l = unit_path(unit_dir, "alias"), *abs = NULL, *l2 = NULL;

	abs = unit_write_file(unit_dir, "real", script, 0755);
	ck_assert_int_eq(symlink("real", l), 0);
	assert_accepted("alias");
	l2 = unit_path(unit_dir, "alias2");
	ck_assert_int_eq(symlink(abs, l2), 0);
	assert_accepted("alias2");
	free(l);
	free(l2);
	free(abs);
}
END_TEST

START_TEST(plugin_in_a_directory_others_may_write_is_refused)
{
	char *sub = unit_path(unit_dir, "plugins"), *f;

	ck_assert_int_eq(mkdir(sub, 0755), 0);
	f = unit_write_file(sub, "p", script, 0755);
	ck_assert_int_eq(chmod(sub, 0775), 0);
	assert_refused_in(sub, "p", "writable by its group (mode 0775)");
	ck_assert_int_eq(chmod(sub, 0757), 0);
	assert_refused_in(sub, "p", "writable by others");
	/* Above the plugin directory, too. */
	ck_assert_int_eq(chmod(sub, 0755), 0);
	ck_assert_int_eq(chmod(unit_dir, 0777), 0);
	assert_refused_in(sub, "p", "another user could replace the plugin");
	ck_assert_int_eq(chmod(unit_dir, 0755), 0);
	free(f);
	free(sub);
}
END_TEST

START_TEST(symlink_leaving_the_directory_is_refused)
{
	char *l = unit_path(unit_dir, "escape");

	ck_assert_int_eq(symlink("/bin/true", l), 0);
	assert_refused("escape", "leaves the plugin directory");
	free(l);
}
END_TEST

/* The directory as written may hold a link another user re-points: the
 * path to execute is the one that was checked, the link resolved. */
START_TEST(plugin_dir_through_a_link_gives_the_resolved_path)
{
	char *sub = unit_path(unit_dir, "real"),
	     *l = unit_path(unit_dir, "link"), *path = NULL, *why, *real,
	     *expect;

	ck_assert_int_eq(mkdir(sub, 0755), 0);
	free(unit_write_file(sub, "p", script, 0755));
	ck_assert_int_eq(symlink(sub, l), 0);
	real = realpath(sub, NULL);
	expect = unit_path(real, "p");
	why = plugin_check_file(l, "p", &path);
	ck_assert_msg(why == NULL, "refused: %s", why);
	ck_assert_pstr_eq(path, expect);
	free(path);
	free(expect);
	free(real);
	free(sub);
	free(l);
}
END_TEST

START_TEST(symlink_through_dotdot_is_refused)
{
	char *sub = unit_path(unit_dir, "plugins"),
	     *l = unit_path(sub, "sneaky");

	ck_assert_int_eq(mkdir(sub, 0755), 0);
	free(unit_write_file(unit_dir, "outside", script, 0755));
	ck_assert_int_eq(symlink("../outside", l), 0);
	assert_refused_in(sub, "sneaky", "leaves the plugin directory");
	free(sub);
	free(l);
}
END_TEST

START_TEST(symlink_to_a_writable_plugin_is_refused)
{
	char *l = unit_path(unit_dir, "alias");

	free(unit_write_file(unit_dir, "real", script, 0777));
	ck_assert_int_eq(symlink("real", l), 0);
	assert_refused("alias", "writable");
	free(l);
}
END_TEST

START_TEST(dangling_symlink_is_refused)
{
	char *l = unit_path(unit_dir, "dangling");

	ck_assert_int_eq(symlink("nothing-here", l), 0);
	assert_refused("dangling", strerror(ENOENT));
	free(l);
}
END_TEST

START_TEST(missing_file_is_refused)
{
	assert_refused("absent", strerror(ENOENT));
}
END_TEST

START_TEST(file_owned_by_another_user_is_refused)
{
	char *p = unit_write_file(unit_dir, "theirs", script, 0755);

	ck_assert_int_eq(chown(p, 12345, 12345), 0);
	ck_assert_int_eq(chmod(p, 0755), 0);
	assert_refused("theirs", "owned by uid 12345");
	free(p);
}
END_TEST

START_TEST(plugin_dir_honours_the_environment)
{
	ck_assert_int_eq(setenv("FENCE_HBWRAP_PLUGIN_DIR", "/x/plugins", 1), 0);
	ck_assert_str_eq(plugin_dir(), "/x/plugins");
	ck_assert_int_eq(setenv("FENCE_HBWRAP_HELPER_DIR", "/x/helpers", 1), 0);
	ck_assert_str_eq(helper_dir(), "/x/helpers");
	/* Empty means unset: the built-in defaults. */
	ck_assert_int_eq(setenv("FENCE_HBWRAP_PLUGIN_DIR", "", 1), 0);
	ck_assert_str_ne(plugin_dir(), "");
	ck_assert_int_eq(unsetenv("FENCE_HBWRAP_HELPER_DIR"), 0);
	ck_assert_str_ne(helper_dir(), "/x/helpers");
}
END_TEST

START_TEST(plugin_locate_uses_the_plugin_dir)
{
	char *expect = unit_write_file(unit_dir, "p1", script, 0755), *p;
	struct unit_capture cap;

	ck_assert_int_eq(setenv("FENCE_HBWRAP_PLUGIN_DIR", unit_dir, 1), 0);
	p = plugin_locate("p1");
	ck_assert_pstr_eq(p, expect);
	free(p);
	unit_capture_start(&cap);
	p = plugin_locate("p2");
	free(expect);
	expect = unit_capture_end(&cap);
	ck_assert_ptr_null(p);
	ck_assert_ptr_nonnull(strstr(expect, "p2"));
	ck_assert_int_eq(unit_count(expect, "\n"), 1);
	free(expect);
}
END_TEST

static Suite *
plugin_suite(void)
{
	Suite *s = suite_create("plugin");
	TCase *tc = tcase_create("names");

	tcase_add_test(tc, personality_prefix_names_the_plugin);
	tcase_add_test(tc, generic_name_names_no_plugin);
	tcase_add_test(tc, bare_prefix_names_no_plugin);
	tcase_add_test(tc, program_name_gives_the_plugin);
	tcase_add_test(tc,
	               plugin_parameter_gives_the_plugin_to_the_generic_name);
	tcase_add_test(tc, external_prefix_is_stripped);
	tcase_add_test(tc,
	               plugin_parameter_conflicting_with_the_name_is_refused);
	tcase_add_test(tc, no_plugin_given_is_refused);
	tcase_add_test(tc, path_as_plugin_is_refused);
	tcase_add_test(tc, bad_name_after_the_prefix_is_refused);
	tcase_add_test(tc, plugin_names_of_real_plugins_are_acceptable);
	tcase_add_test(tc, plugin_name_problem_says_why);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_unchecked_fixture(tc, unit_root_setup, unit_root_teardown);
	tcase_add_checked_fixture(tc, unit_dir_make, unit_dir_remove);
	tcase_add_test(tc, regular_executable_is_accepted);
	tcase_add_test(tc, file_that_is_not_executable_is_refused);
	tcase_add_test(tc, file_executable_only_by_others_is_refused);
	tcase_add_test(tc, group_writable_file_is_refused);
	tcase_add_test(tc, other_writable_file_is_refused);
	tcase_add_test(tc, directory_is_refused);
	tcase_add_test(tc, fifo_is_refused);
	tcase_add_test(tc,
	               symlink_to_a_plugin_inside_the_directory_is_accepted);
	tcase_add_test(tc, symlink_leaving_the_directory_is_refused);
	tcase_add_test(tc, plugin_in_a_directory_others_may_write_is_refused);
	tcase_add_test(tc, symlink_through_dotdot_is_refused);
	tcase_add_test(tc, plugin_dir_through_a_link_gives_the_resolved_path);
	tcase_add_test(tc, symlink_to_a_writable_plugin_is_refused);
	tcase_add_test(tc, dangling_symlink_is_refused);
	tcase_add_test(tc, missing_file_is_refused);
	/* Only root can give a file away. */
	if (geteuid() == 0)
		tcase_add_test(tc, file_owned_by_another_user_is_refused);
	tcase_add_test(tc, plugin_dir_honours_the_environment);
	tcase_add_test(tc, plugin_locate_uses_the_plugin_dir);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(plugin_suite(), CK_FORK);
}
