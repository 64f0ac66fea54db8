/*
 * manpage.c - an mdoc(7) man page made from an agent's RHCS metadata.
 */
#define _GNU_SOURCE
#include "manpage.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xml.h"

#include "log.h"
#include "xalloc.h"

struct out {
	char *s;
	size_t len;
};

static void put(struct out *o, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void
put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	char *t;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&t, fmt, ap);
	va_end(ap);
	if (n < 0)
		t = xstrdup(""), n = 0;
	o->s = xrealloc(o->s, o->len + (size_t)n + 1);
	memcpy(o->s + o->len, t, (size_t)n + 1);
	o->len += (size_t)n;
	free(t);
}

/* TEXT as one mdoc text line: backslashes escaped, and a leading dot or
 * quote neutralised. Caller frees. */
static char *
roff(const char *text)
{
	char *r = xmalloc(strlen(text) * 2 + 3), *w = r;

	if (*text == '.' || *text == '\'')
		*w++ = '\\', *w++ = '&';
	for (; *text; text++) {
		if (*text == '\\') {
			*w++ = '\\';
			*w++ = 'e';
		} else if (*text == '\n') {
			*w++ = ' ';
		} else {
			*w++ = *text;
		}
	}
	*w = '\0';
	return r;
}

static char *
get(xmlNodePtr n, const char *attr)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST attr);
	char *s = xstrdup(v ? (const char *)v : "");

	xmlFree(v);
	return s;
}

static xmlNodePtr
child(xmlNodePtr n, const char *name)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    !xmlStrcmp(c->name, BAD_CAST name))
			return c;
	return NULL;
}

static char *
text(xmlNodePtr n)
{
	xmlChar *v = n ? xmlNodeGetContent(n) : NULL;
	char *s = xstrdup(v ? (const char *)v : "");

	xmlFree(v);
	return s;
}

/* The English shortdesc of a parameter (first one if none is "en"). */
static char *
param_desc(xmlNodePtr p)
{
	xmlNodePtr first = NULL;

	for (xmlNodePtr c = p->children; c; c = c->next) {
		char *lang;
		int en;

		if (c->type != XML_ELEMENT_NODE ||
		    xmlStrcmp(c->name, BAD_CAST "shortdesc"))
			continue;
		if (first == NULL)
			first = c;
		lang = get(c, "lang");
		en = !strcmp(lang, "en");
		free(lang);
		if (en)
			return text(c);
	}
	return text(first);
}

static void
params_section(struct out *o, xmlNodePtr params, int stdin_form)
{
	put(o, ".Bl -tag -width Ds\n");
	for (xmlNodePtr p = params ? params->children : NULL; p; p = p->next) {
		xmlNodePtr content, getopt;
		char *name, *desc, *r, *def, *req, *mixed;

		if (p->type != XML_ELEMENT_NODE)
			continue;
		name = get(p, "name");
		content = child(p, "content");
		getopt = child(p, "getopt");
		desc = param_desc(p);
		def = content ? get(content, "default") : xstrdup("");
		req = get(p, "required");
		mixed = getopt ? get(getopt, "mixed") : xstrdup("");
		if (stdin_form)
			r = roff(name);
		else
			r = roff(mixed);
		put(o, ".It Li %s\n", r);
		free(r);
		r = roff(desc);
		put(o, "%s\n", r);
		free(r);
		if (*def) {
			r = roff(def);
			put(o, "Default: %s.\n", r);
			free(r);
		}
		if (!strcmp(req, "1"))
			put(o, "This parameter is always required.\n");
		free(name);
		free(desc);
		free(def);
		free(req);
		free(mixed);
	}
	put(o, ".El\n");
}

int
manpage_from_metadata(const char *xml, size_t len, char **out, size_t *outlen)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)len, "metadata", "UTF-8",
	                              XML_PARSE_NONET | XML_PARSE_NOERROR |
	                                      XML_PARSE_NOWARNING);
	xmlNodePtr root, params, actions;
	struct out o = {0};
	char *name, *upper, *shortdesc, *longdesc, *url, *r;
	char date[64];
	time_t t = time(NULL);
	struct tm tm;

	if (doc == NULL) {
		log_error("cannot read the metadata to make a man page");
		return -1;
	}
	root = xmlDocGetRootElement(doc);
	name = get(root, "name");
	shortdesc = get(root, "shortdesc");
	longdesc = text(child(root, "longdesc"));
	url = text(child(root, "vendor-url"));
	params = child(root, "parameters");
	actions = child(root, "actions");
	upper = xstrdup(name);
	for (char *c = upper; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%B %d, %Y", &tm);

	put(&o, ".Dd %s\n.Dt %s 8\n.Os\n.Sh NAME\n.Nm %s\n", date, upper, name);
	r = roff(shortdesc);
	put(&o, ".Nd %s\n", r);
	free(r);
	put(&o, ".Sh SYNOPSIS\n.Nm\n.Op Ar OPTIONS\n.Nm\n.Li < Ar "
	        "name=value-lines\n");
	put(&o, ".Sh DESCRIPTION\n");
	r = roff(longdesc);
	put(&o, "%s\n.Pp\nVendor URL:\n.Lk %s\n", r, url);
	free(r);
	put(&o, ".Sh PARAMETERS\n");
	params_section(&o, params, 0);
	put(&o, ".Sh ACTIONS\n.Bl -tag -width Ds\n");
	for (xmlNodePtr a = actions ? actions->children : NULL; a;
	     a = a->next) {
		char *an;

		if (a->type != XML_ELEMENT_NODE)
			continue;
		an = get(a, "name");
		put(&o, ".It Cm %s\n", an);
		put(&o, "See\n.Xr fence_hbwrap 8\nfor what the plugin is asked "
		        "to do.\n");
		free(an);
	}
	put(&o, ".El\n.Sh STDIN PARAMETERS\n");
	params_section(&o, params, 1);
	put(&o, ".Sh EXIT STATUS\n0 on success, 1 on failure; status and "
	        "monitor exit 2 when the target is off.\n");
	put(&o, ".Sh SEE ALSO\n.Xr fence_hbwrap 8 ,\n.Xr pcs 8 ,\n"
	        ".Xr stonith_admin 8\n");

	free(name);
	free(upper);
	free(shortdesc);
	free(longdesc);
	free(url);
	xmlFreeDoc(doc);
	*out = o.s;
	*outlen = o.len;
	return 0;
}
