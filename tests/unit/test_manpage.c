/*
 * test_manpage.c - the generated man page's date: mdoc's form on every
 * day of the month, and the same date for the same plugin on any day.
 */
#define _GNU_SOURCE
#include "unit.h"

#include <time.h>
#include <utime.h>

#include "manpage.h"

/* Seconds since the epoch of DAY MONTH (1-12) YEAR, 12:00 UTC. */
static time_t
utc(int year, int month, int day)
{
	struct tm tm = {0};

	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = 12;
	return timegm(&tm);
}

static void
expect_date(time_t when, const char *want)
{
	char buf[32];

	manpage_date(when, buf, sizeof(buf));
	ck_assert_str_eq(buf, want);
}

START_TEST(date_has_no_leading_zero_on_the_first_to_the_ninth)
{
	expect_date(utc(2026, 12, 1), "December 1, 2026");
	expect_date(utc(2026, 12, 2), "December 2, 2026");
	expect_date(utc(2027, 1, 9), "January 9, 2027");
}
END_TEST

START_TEST(date_of_two_digit_days_is_written_whole)
{
	expect_date(utc(2026, 11, 10), "November 10, 2026");
	expect_date(utc(2026, 3, 31), "March 31, 2026");
	expect_date(utc(2024, 2, 29), "February 29, 2024");
}
END_TEST

START_TEST(date_is_english_whatever_the_locale)
{
	setenv("LC_ALL", "de_DE.UTF-8", 1);
	expect_date(utc(2026, 5, 3), "May 3, 2026");
	unsetenv("LC_ALL");
}
END_TEST

/* The page of a generated agent: its .Dd line. */
static char *
dd_line(time_t when)
{
	static const char xml[] =
	        "<resource-agent name=\"fence_hb_x\" shortdesc=\"x\">"
	        "<longdesc>x</longdesc><parameters/><actions/>"
	        "</resource-agent>";
	char *page, *nl;
	size_t len;

	ck_assert_int_eq(
	        manpage_from_metadata(xml, sizeof(xml) - 1, when, &page, &len),
	        0);
	ck_assert(strncmp(page, ".Dd ", 4) == 0);
	nl = strchr(page, '\n');
	ck_assert_ptr_nonnull(nl);
	*nl = '\0';
	return page;
}

START_TEST(page_is_dated_as_asked_not_today)
{
	char *page = dd_line(utc(2026, 12, 2));

	ck_assert_str_eq(page, ".Dd December 2, 2026");
	free(page);
}
END_TEST

START_TEST(source_date_epoch_wins_over_the_file)
{
	setenv("SOURCE_DATE_EPOCH", "1796212800", 1); /* 2026-12-02 12:00 */
	ck_assert_int_eq(manpage_source_date("/"), 1796212800);
	unsetenv("SOURCE_DATE_EPOCH");
}
END_TEST

/* A new file in PATH (a mkstemp template) last modified at MTIME. */
static void
dated_file(char *path, time_t mtime)
{
	struct utimbuf ut = {.actime = mtime, .modtime = mtime};
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(utime(path, &ut), 0);
}

START_TEST(a_source_date_epoch_that_is_no_number_is_ignored)
{
	char path[] = "/tmp/test_manpage.XXXXXX";

	dated_file(path, 1000000000);
	setenv("SOURCE_DATE_EPOCH", "12x", 1);
	ck_assert_int_eq(manpage_source_date(path), 1000000000);
	setenv("SOURCE_DATE_EPOCH", "", 1);
	ck_assert_int_eq(manpage_source_date(path), 1000000000);
	unsetenv("SOURCE_DATE_EPOCH");
	unlink(path);
}
END_TEST

START_TEST(without_source_date_epoch_the_file_dates_the_page)
{
	char path[] = "/tmp/test_manpage.XXXXXX";

	dated_file(path, utc(2026, 12, 9));
	unsetenv("SOURCE_DATE_EPOCH");
	ck_assert_int_eq(manpage_source_date(path), utc(2026, 12, 9));
	ck_assert_int_eq(manpage_source_date("/nonexistent/plugin"), 0);
	unlink(path);
}
END_TEST

static Suite *
manpage_suite(void)
{
	Suite *s = suite_create("manpage");
	TCase *tc = tcase_create("date");

	tcase_add_test(tc, date_has_no_leading_zero_on_the_first_to_the_ninth);
	tcase_add_test(tc, date_of_two_digit_days_is_written_whole);
	tcase_add_test(tc, date_is_english_whatever_the_locale);
	tcase_add_test(tc, page_is_dated_as_asked_not_today);
	tcase_add_test(tc, source_date_epoch_wins_over_the_file);
	tcase_add_test(tc, a_source_date_epoch_that_is_no_number_is_ignored);
	tcase_add_test(tc, without_source_date_epoch_the_file_dates_the_page);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(manpage_suite(), CK_FORK);
}
