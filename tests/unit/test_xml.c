/*
 * test_xml.c - the libxml2 that src/xml.c loads at run time is the one the
 * build compiled and linked against (libxml2.so.2 up to 2.13,
 * libxml2.so.16 from 2.14 on).
 */
#define _GNU_SOURCE
#include "unit.h"

#include <dlfcn.h>
#include <link.h>

#define XML_API_IMPLEMENTATION
#include "xml.h"

/* This test program links libxml2 the way pkg-config says (the build's
 * libxml2): xml_load() must get the very same library, not fail on a name
 * that is not installed and not open a second, different libxml2. */
START_TEST(loads_the_libxml2_the_build_linked)
{
	ck_assert_int_eq(xml_load(), 0);
	ck_assert_ptr_eq((void *)xml_get()->xmlCheckVersion,
	                 (void *)&xmlCheckVersion);
	ck_assert_ptr_eq((void *)xml_get()->xmlReadMemory,
	                 (void *)&xmlReadMemory);
}
END_TEST

/* The soname is a libxml2 one and is already mapped in this process (by
 * the dynamic linker, from the link): no other file is opened for it. */
START_TEST(soname_is_the_one_the_link_resolved)
{
	void *h;

	ck_assert_int_eq(strncmp(xml_soname, "libxml2.so.", 11), 0);
	h = dlopen(xml_soname, RTLD_NOW | RTLD_NOLOAD);
	ck_assert_msg(h != NULL, "%s is not the libxml2 linked in", xml_soname);
	dlclose(h);
}
END_TEST

static Suite *
xml_suite(void)
{
	Suite *s = suite_create("xml");
	TCase *tc = tcase_create("soname");

	tcase_add_test(tc, loads_the_libxml2_the_build_linked);
	tcase_add_test(tc, soname_is_the_one_the_link_resolved);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(xml_suite(), CK_FORK_GETENV);
}
