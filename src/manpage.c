/*
 * manpage.c - an mdoc(7) man page made from an agent's RHCS metadata.
 *
 * The text comes from a plugin, so it is written the way mandoc -Tlint
 * wants it whatever it holds: one sentence per line, lines of at most
 * 80 bytes where the words allow it, roff escapes neutralised, non-ASCII
 * characters as \[uXXXX], and macro arguments quoted so that a word such
 * as "No" or "Li" in a description is never taken for a macro.
 */
#define _GNU_SOURCE
#include "manpage.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "xml.h"

#include "log.h"
#include "xalloc.h"

/* Text lines are wrapped before this many bytes (mandoc's limit is 80). */
#define WRAP 72

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

/*
 * Length of the UTF-8 sequence at S and its code point in *CP, or 0 if
 * S does not start a valid, shortest-form sequence.
 */
static size_t
utf8_decode(const unsigned char *s, unsigned long *cp)
{
	size_t n;
	unsigned long c;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

/*
 * WORD (LEN bytes, no white space) in roff: backslash as \e, a double
 * quote as \(dq when QUOTED (inside a quoted macro argument), non-ASCII
 * as \[uXXXX], control bytes and invalid UTF-8 as '?'. Caller frees.
 */
static char *
roff_word(const char *word, size_t len, int quoted)
{
	char *r = xmalloc(len * 10 + 1), *w = r;
	const unsigned char *s = (const unsigned char *)word;
	const unsigned char *end = s + len;

	while (s < end) {
		unsigned long cp;
		size_t n;

		if (*s == '\\') {
			w += sprintf(w, "\\e");
			s++;
		} else if (*s == '"' && quoted) {
			w += sprintf(w, "\\(dq");
			s++;
		} else if (*s >= 0x20 && *s < 0x7f) {
			*w++ = (char)*s++;
		} else if (*s >= 0x80 && (n = utf8_decode(s, &cp)) > 0 &&
		           s + n <= end) {
			w += sprintf(w, "\\[u%04lX]", cp);
			s += n;
		} else {
			*w++ = '?';
			s++;
		}
	}
	*w = '\0';
	return r;
}

/* The next blank-separated word of *P: *START points to it, *P moves
 * past it; returns its length, 0 at the end of the text. */
static size_t
next_word(const char **p, const char **start)
{
	while (**p && isspace((unsigned char)**p))
		(*p)++;
	*start = *p;
	while (**p && !isspace((unsigned char)**p))
		(*p)++;
	return (size_t)(*p - *start);
}

/* Non-zero if the word at W (LEN bytes) ends a sentence for mandoc. */
static int
ends_sentence(const char *w, size_t len)
{
	while (len > 0 && strchr(")]\"'", w[len - 1]) != NULL)
		len--;
	return len > 0 && strchr(".!?", w[len - 1]) != NULL;
}

/*
 * TEXT as mdoc text lines: white space folded, a new line after each
 * sentence, lines wrapped before WRAP bytes, and a line that would start
 * with a dot or a quote (a request to roff) protected by \&.
 */
static void
put_text(struct out *o, const char *text)
{
	const char *p = text, *start;
	size_t col = 0, len;

	while ((len = next_word(&p, &start)) > 0) {
		char *word = roff_word(start, len, 0);
		size_t wlen = strlen(word);

		if (col > 0 && col + 1 + wlen > WRAP) {
			put(o, "\n");
			col = 0;
		}
		if (col > 0) {
			put(o, " ");
			col++;
		}
		if (col == 0 && (*word == '.' || *word == '\'')) {
			put(o, "\\&");
			col += 2;
		}
		put(o, "%s", word);
		col += wlen;
		free(word);
		if (ends_sentence(start, len)) {
			put(o, "\n");
			col = 0;
		}
	}
	if (col > 0)
		put(o, "\n");
}

/* TEXT as one quoted macro argument, white space folded. Caller frees. */
static char *
quoted(const char *text)
{
	struct out q = {0};
	const char *p = text, *start;
	size_t len;

	put(&q, "\"");
	while ((len = next_word(&p, &start)) > 0) {
		char *word = roff_word(start, len, 1);

		put(&q, "%s%s", q.len > 1 ? " " : "", word);
		free(word);
	}
	/* A closing delimiter at the end would be taken for punctuation. */
	if (q.len > 1 && strchr(".,:;)]?!", q.s[q.len - 1]) != NULL)
		put(&q, "\\&");
	put(&q, "\"");
	return q.s;
}

static char *
get(xmlNodePtr n, const char *attr)
{
	xmlChar *v = n ? xmlGetProp(n, BAD_CAST attr) : NULL;
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

/* The values of a select parameter, "a, b, c", or NULL. Caller frees. */
static char *
param_choices(xmlNodePtr content)
{
	struct out c = {0};

	for (xmlNodePtr v = content ? content->children : NULL; v;
	     v = v->next) {
		char *value;

		if (v->type != XML_ELEMENT_NODE ||
		    xmlStrcmp(v->name, BAD_CAST "option"))
			continue;
		value = get(v, "value");
		put(&c, "%s%s", c.len ? ", " : "", value);
		free(value);
	}
	return c.s;
}

/* One list entry per parameter; STDIN_FORM: name=value, else getopt. */
static void
params_section(struct out *o, xmlNodePtr params, int stdin_form)
{
	put(o, ".Bl -tag -width Ds\n");
	for (xmlNodePtr p = params ? params->children : NULL; p; p = p->next) {
		xmlNodePtr content, getopt;
		char *name, *desc, *r, *def, *req, *mixed, *choices, *head;

		if (p->type != XML_ELEMENT_NODE ||
		    xmlStrcmp(p->name, BAD_CAST "parameter"))
			continue;
		name = get(p, "name");
		content = child(p, "content");
		getopt = child(p, "getopt");
		desc = param_desc(p);
		for (size_t n = strlen(desc);
		     n > 0 && isspace((unsigned char)desc[n - 1]); n--)
			desc[n - 1] = '\0';
		def = get(content, "default");
		req = get(p, "required");
		mixed = get(getopt, "mixed");
		choices = param_choices(content);
		if (stdin_form || *mixed == '\0')
			head = xasprintf("%s=value", name);
		else
			head = xstrdup(mixed);
		r = quoted(head);
		put(o, ".It Li %s\n", r);
		free(r);
		free(head);
		/* A full stop, so that what follows is a sentence of its own.
		 */
		r = xasprintf("%s%s", *desc ? desc : "No description",
		              ends_sentence(desc, strlen(desc)) ? "" : ".");
		put_text(o, r);
		free(r);
		if (choices != NULL) {
			r = xasprintf("One of: %s.", choices);
			put_text(o, r);
			free(r);
		}
		if (*def) {
			r = xasprintf("Default: %s.", def);
			put_text(o, r);
			free(r);
		}
		if (!strcmp(req, "1"))
			put(o, "This parameter is always required.\n");
		free(name);
		free(desc);
		free(def);
		free(req);
		free(mixed);
		free(choices);
	}
	put(o, ".El\n");
}

/* What the shim asks of the plugin for each action it advertises. */
static const struct {
	const char *action;
	const char *does;
} action_docs[] = {
        {"on", "Runs the plugin's on operation with the target node."},
        {"off", "Runs the plugin's off operation with the target node."},
        {"reboot", "Runs the plugin's reset operation with the target node "
                   "(with method=onoff: off, then on)."},
        {"status",
         "Runs the plugin's status and gethosts operations; exits "
         "0 if the device answers and lists the target node, else 1."},
        {"list", "Runs the plugin's gethosts operation and prints one node "
                 "per line."},
        {"monitor", "Runs the plugin's status operation: is the device "
                    "reachable."},
        {"metadata", "Prints the agent's metadata, made from the plugin's "
                     "getinfo-xml and other getinfo operations."},
        {"validate-all", "Checks that the plugin may be run and that every "
                         "required parameter is given."},
        {"manpage", "Prints this man page."},
};

static void
actions_section(struct out *o, xmlNodePtr actions)
{
	put(o, ".Bl -tag -width Ds\n");
	for (xmlNodePtr a = actions ? actions->children : NULL; a;
	     a = a->next) {
		const char *does = "See fence_hbwrap(8).";
		char *an, *r;

		if (a->type != XML_ELEMENT_NODE ||
		    xmlStrcmp(a->name, BAD_CAST "action"))
			continue;
		an = get(a, "name");
		for (size_t i = 0;
		     i < sizeof(action_docs) / sizeof(*action_docs); i++)
			if (!strcmp(an, action_docs[i].action))
				does = action_docs[i].does;
		r = quoted(an);
		put(o, ".It Cm %s\n", r);
		put_text(o, does);
		free(r);
		free(an);
	}
	put(o, ".El\n");
}

void
manpage_date(time_t when, char *buf, size_t size)
{
	static const char *const months[12] = {
	        "January",   "February", "March",    "April",
	        "May",       "June",     "July",     "August",
	        "September", "October",  "November", "December"};
	struct tm tm;

	/* mdoc's canonical form: the day without a leading zero (mandoc
	 * warns about "December 02, 2026"), English whatever the locale. */
	if (gmtime_r(&when, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	snprintf(buf, size, "%s %d, %d", months[tm.tm_mon % 12], tm.tm_mday,
	         tm.tm_year + 1900);
}

time_t
manpage_source_date(const char *path)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	struct stat st;

	/* reproducible-builds.org: digits only, seconds since the epoch. */
	if (sde != NULL && *sde != '\0' && strlen(sde) <= 15 &&
	    strspn(sde, "0123456789") == strlen(sde))
		return (time_t)strtoll(sde, NULL, 10);
	if (path != NULL && stat(path, &st) == 0)
		return st.st_mtime;
	return 0;
}

int
manpage_from_metadata(const char *xml, size_t len, time_t when, char **out,
                      size_t *outlen)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)len, "metadata", "UTF-8",
	                              XML_PARSE_NONET | XML_PARSE_NOERROR |
	                                      XML_PARSE_NOWARNING);
	xmlNodePtr root, params;
	struct out o = {0};
	char *name, *upper, *shortdesc, *longdesc, *url, *r;
	char date[64];

	if (doc == NULL || (root = xmlDocGetRootElement(doc)) == NULL) {
		log_error("cannot read the metadata to make a man page");
		xmlFreeDoc(doc);
		return -1;
	}
	name = get(root, "name");
	shortdesc = get(root, "shortdesc");
	longdesc = text(child(root, "longdesc"));
	url = text(child(root, "vendor-url"));
	params = child(root, "parameters");
	upper = xstrdup(name);
	for (char *c = upper; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	manpage_date(when, date, sizeof(date));

	put(&o, ".Dd %s\n", date);
	r = quoted(upper);
	put(&o, ".Dt %s 8\n.Os\n.Sh NAME\n", r);
	free(r);
	r = quoted(name);
	put(&o, ".Nm %s\n", r);
	free(r);
	r = quoted(*shortdesc ? shortdesc : "fence agent");
	put(&o, ".Nd %s\n", r);
	free(r);
	put(&o, ".Sh SYNOPSIS\n.Nm\n.Op Ar options\n.Nm\n"
	        ".No < Ar file-of-name=value-lines\n");
	put(&o, ".Sh DESCRIPTION\n");
	put_text(&o, longdesc);
	if (url[strspn(url, " \t\r\n")] != '\0') {
		r = quoted(url);
		put(&o, ".Pp\nVendor URL:\n.Lk %s\n", r);
		free(r);
	}
	put(&o, ".Pp\n");
	put_text(&o, "Options are given on the command line or, when there are "
	             "no arguments, as name=value lines on standard input (as "
	             "Pacemaker does).");
	put(&o, ".Sh PARAMETERS\n");
	params_section(&o, params, 0);
	put(&o, ".Sh FENCING ACTIONS\n");
	actions_section(&o, child(root, "actions"));
	put(&o, ".Sh STDIN PARAMETERS\n");
	params_section(&o, params, 1);
	put(&o,
	    ".Sh EXIT STATUS\n0 on success, 1 on failure.\n"
	    "A Heartbeat plugin cannot tell whether a node is powered off,\n"
	    "so this agent never exits 2 (off).\n");
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
