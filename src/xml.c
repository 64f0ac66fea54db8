/*
 * xml.c - dlopen() of libxml2 for the code that reads or writes XML.
 */
#define _GNU_SOURCE
#define XML_API_IMPLEMENTATION
#include "xml.h"

#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/*
 * The run-time name (SONAME) of the libxml2 the build was compiled against:
 * the Makefile reads it from the library pkg-config names (libxml2.so.2 up
 * to 2.13, libxml2.so.16 from 2.14 on) and passes it as XML_SONAME.
 */
#ifndef XML_SONAME
#error "XML_SONAME (libxml2's soname) must be defined by the build"
#endif
#define LIBXML2_SONAME XML_SONAME

const char xml_soname[] = LIBXML2_SONAME;

static struct xml_api xml_api;
static int loaded;

int
xml_load(void)
{
	static const struct {
		const char *name;
		size_t offset;
	} syms[] = {
#define XML_API_SYM(f) {#f, offsetof(struct xml_api, f)},
	        XML_API(XML_API_SYM)
#undef XML_API_SYM
	};
	void *h;

	if (loaded)
		return 0;
	h = dlopen(LIBXML2_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		log_error("cannot load %s: %s", LIBXML2_SONAME, dlerror());
		return -1;
	}
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		void *p = dlsym(h, syms[i].name);

		if (p == NULL) {
			log_error("%s has no %s", LIBXML2_SONAME, syms[i].name);
			dlclose(h);
			return -1;
		}
		memcpy((char *)&xml_api + syms[i].offset, &p, sizeof(p));
	}
	/* The headers we compiled with must match the library we got. */
	xml_api.xmlCheckVersion(LIBXML_VERSION);
	loaded = 1;
	return 0;
}

const struct xml_api *
xml_get(void)
{
	if (!loaded && xml_load() < 0)
		exit(1);
	return &xml_api;
}

void
xml_unload(void)
{
	if (loaded)
		xml_api.xmlCleanupParser();
}
