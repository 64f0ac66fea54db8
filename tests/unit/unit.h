/*
 * unit.h - helpers shared by the Check unit tests (tests/unit/test_*.c).
 *
 * Every helper is static inline so that a test file using only some of
 * them still builds with -Werror. A test file defines _GNU_SOURCE and
 * includes this header first.
 */
#ifndef HBWRAP_UNIT_H
#define HBWRAP_UNIT_H

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Run every test of S (CK_NORMAL prints Check's "Checks: N, Failures: F,
 * Errors: E" line, which tests/run.sh reads). FORK is CK_FORK for suites
 * whose tests change process-wide state, else CK_FORK_GETENV ($CK_FORK
 * decides). Returns the exit status of the test program: 0 if every
 * test passed. */
static inline int
unit_run(Suite *s, enum fork_status fork)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_set_fork_status(sr, fork);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* What the code under test writes on stderr between unit_capture_start()
 * and unit_capture_end(). */
struct unit_capture {
	FILE *tmp;
	int saved;
};

static inline void
unit_capture_start(struct unit_capture *c)
{
	fflush(stderr);
	c->tmp = tmpfile();
	ck_assert_ptr_nonnull(c->tmp);
	c->saved = dup(STDERR_FILENO);
	ck_assert_int_ge(c->saved, 0);
	ck_assert_int_ge(dup2(fileno(c->tmp), STDERR_FILENO), 0);
}

/* Restore stderr; return what was written (caller frees), and echo it
 * so that a failing test still shows the messages. */
static inline char *
unit_capture_end(struct unit_capture *c)
{
	long n;
	char *text;

	fflush(stderr);
	ck_assert_int_ge(dup2(c->saved, STDERR_FILENO), 0);
	close(c->saved);
	n = ftell(c->tmp);
	ck_assert_int_ge(n, 0);
	text = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(text);
	rewind(c->tmp);
	ck_assert_uint_eq(fread(text, 1, (size_t)n, c->tmp), (size_t)n);
	text[n] = '\0';
	fclose(c->tmp);
	fputs(text, stderr);
	return text;
}

/* The directory that holds every test's own directory, or NULL. */
static inline char **
unit_root(void)
{
	static char *root;

	return &root;
}

/* A new private directory (caller frees the name): under the root made
 * by unit_root_setup() if there is one, else under $TMPDIR or /tmp. */
static inline char *
unit_tmpdir(void)
{
	const char *base = *unit_root();
	size_t n;
	char *dir;

	if (base == NULL)
		base = getenv("TMPDIR");
	if (base == NULL || *base == '\0')
		base = "/tmp";
	n = strlen(base) + sizeof("/hbwrap-unit-XXXXXX");
	dir = malloc(n);
	ck_assert_ptr_nonnull(dir);
	snprintf(dir, n, "%s/hbwrap-unit-XXXXXX", base);
	ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp %s: %s", dir,
	              strerror(errno));
	return dir;
}

static inline int
unit_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline void
unit_rm_rf(const char *dir)
{
	if (dir != NULL)
		nftw(dir, unit_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * Unchecked fixture (tcase_add_unchecked_fixture): one root directory
 * per test case, made and removed by the test runner itself, so that
 * what a failed test leaves in its unit_tmpdir() is removed too (Check
 * does not run a checked teardown after a failure).
 */
static inline void
unit_root_setup(void)
{
	*unit_root() = unit_tmpdir();
}

static inline void
unit_root_teardown(void)
{
	unit_rm_rf(*unit_root());
	free(*unit_root());
	*unit_root() = NULL;
}

/* Newly allocated "DIR/NAME". */
static inline char *
unit_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	ck_assert_ptr_nonnull(p);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* Create DIR/NAME holding TEXT with exactly MODE (umask ignored);
 * returns its path (caller frees). */
static inline char *
unit_write_file(const char *dir, const char *name, const char *text,
                mode_t mode)
{
	char *p = unit_path(dir, name);
	FILE *fp = fopen(p, "w");

	ck_assert_msg(fp != NULL, "cannot create %s: %s", p, strerror(errno));
	ck_assert_uint_eq(fwrite(text, 1, strlen(text), fp), strlen(text));
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_int_eq(chmod(p, mode), 0);
	return p;
}

/* Number of times NEEDLE occurs in HAYSTACK. */
static inline int
unit_count(const char *haystack, const char *needle)
{
	int n = 0;

	for (const char *p = haystack; (p = strstr(p, needle)) != NULL;
	     p += strlen(needle))
		n++;
	return n;
}

/* A temporary directory for each test of a case that adds the fixture
 * tcase_add_checked_fixture(tc, unit_dir_make, unit_dir_remove). */
static char *unit_dir __attribute__((unused));

static inline void
unit_dir_make(void)
{
	unit_dir = unit_tmpdir();
}

static inline void
unit_dir_remove(void)
{
	unit_rm_rf(unit_dir);
	free(unit_dir);
	unit_dir = NULL;
}

#endif
