/*
 * declared.c - the parameter names a plugin declares (the allow-list of
 * its environment), from the metadata cache or from the plugin itself.
 */
#define _GNU_SOURCE
#include "declared.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "metacache.h"
#include "options.h"
#include "run.h"
#include "xalloc.h"
#include "xml.h"

/* The cache entry's agent name: apart from every agent's metadata. */
#define CACHE_AGENT "declared-names"

int
declared_has(const struct declared *d, const char *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->names[i], name) == 0)
			return 1;
	return 0;
}

static void
add(struct declared *d, const char *name, size_t len)
{
	char *s = xstrndup(name, len);

	if (!name_is_valid(s) || declared_has(d, s)) {
		free(s);
		return;
	}
	d->names = xrealloc(d->names, (d->n + 1) * sizeof(*d->names));
	d->names[d->n++] = s;
}

void
declared_add_words(struct declared *d, const char *words)
{
	const char *sep = " \t\r\n";

	for (const char *w = words + strspn(words, sep); *w;) {
		size_t len = strcspn(w, sep);

		add(d, w, len);
		w += len;
		w += strspn(w, sep);
	}
}

/* Add the name of every <parameter> element under N (any depth). */
static void
add_parameters(struct declared *d, xmlNodePtr n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!xmlStrcmp(n->name, BAD_CAST "parameter")) {
			xmlChar *v = xmlGetProp(n, BAD_CAST "name");

			if (v != NULL)
				add(d, (const char *)v, strlen((char *)v));
			xmlFree(v);
			continue;
		}
		add_parameters(d, n->children);
	}
}

int
declared_add_xml(struct declared *d, const char *xml, size_t len, char **why)
{
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc;

	*why = NULL;
	/* The same hardening as the metadata: no DTD, no entity, no NUL. */
	if (memmem(xml, len, "<!DOCTYPE", 9) || memmem(xml, len, "<!ENTITY", 8))
		*why = xstrdup("its XML declares a DTD or entities");
	else if (memchr(xml, '\0', len) != NULL)
		*why = xstrdup("its output holds a NUL byte");
	else if ((ctxt = xmlNewParserCtxt()) == NULL)
		*why = xstrdup("out of memory");
	if (*why != NULL)
		return -1;
	/* Recovering: what a plugin names in a flawed description is still
	 * what it declares. */
	doc = xmlCtxtReadMemory(ctxt, xml, (int)len, "getinfo-xml", "UTF-8",
	                        XML_PARSE_NONET | XML_PARSE_NOCDATA |
	                                XML_PARSE_RECOVER | XML_PARSE_NOERROR |
	                                XML_PARSE_NOWARNING);
	if (doc == NULL)
		*why = xstrdup("its XML cannot be read");
	else
		add_parameters(d, xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return *why ? -1 : 0;
}

/* Ask the plugin; returns 0 if both calls exited 0 (an answer worth
 * keeping), else -1 (what could be read is in D all the same). */
static int
ask_plugin(const char *name, const char *path, char *const envp[], long timeout,
           struct declared *d)
{
	struct run_call c[2];
	char *why = NULL;
	int rc = 0;

	memset(c, 0, sizeof(c));
	c[0].op = "getconfignames";
	c[1].op = "getinfo-xml";
	if (run_calls(path, envp, c, 2, timeout) < 0)
		return -1;
	for (int i = 0; i < 2; i++)
		if (!run_call_ok(&c[i])) {
			char *how = run_call_describe(&c[i], timeout);

			log_verbose("plugin %s: %s %s", name, c[i].op, how);
			free(how);
			rc = -1;
		}
	if (run_call_ok(&c[0]) && c[0].out.data != NULL)
		declared_add_words(d, c[0].out.data);
	if (run_call_ok(&c[1]) && c[1].out.len > 0 &&
	    declared_add_xml(d, c[1].out.data, c[1].out.len, &why) < 0) {
		log_verbose("plugin %s: getinfo-xml: %s", name, why);
		free(why);
		rc = -1;
	}
	run_call_free(&c[0]);
	run_call_free(&c[1]);
	return rc;
}

void
declared_get(const char *name, const char *path, char *const envp[],
             long timeout, struct declared *d)
{
	char *key = metacache_key(CACHE_AGENT, path, 0), *text, *list;
	size_t len;

	memset(d, 0, sizeof(*d));
	if (key != NULL && metacache_get(key, &text, &len) == 0) {
		declared_add_words(d, text);
		free(text);
		free(key);
		return;
	}
	if (ask_plugin(name, path, envp, timeout, d) == 0 && key != NULL) {
		text = xstrdup("");
		for (size_t i = 0; i < d->n; i++) {
			list = xasprintf("%s%s\n", text, d->names[i]);
			free(text);
			text = list;
		}
		metacache_put(key, text, strlen(text));
		free(text);
	}
	free(key);
}

char *
declared_list(const struct declared *d)
{
	char *s = xstrdup(d->n ? "" : "none"), *t;

	for (size_t i = 0; i < d->n; i++) {
		t = xasprintf("%s%s%s", s, i ? ", " : "", d->names[i]);
		free(s);
		s = t;
	}
	return s;
}

void
declared_free(struct declared *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->names[i]);
	free(d->names);
	memset(d, 0, sizeof(*d));
}
