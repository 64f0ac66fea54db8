/*
 * convert_splice.c - the rewrite of --convert-cib: the type attribute of
 * each converted device changes and every other byte of the CIB stays.
 *
 * Serialising libxml2's tree would rewrite what the parser does not
 * keep (quotes, blanks inside tags, the XML declaration, character
 * references), so the new values are spliced into the original text
 * instead. The text is known to be well-formed and to have no DTD (it
 * parsed), so its start tags can be counted by a small scanner in the
 * order libxml2 numbers elements; the result is parsed again and
 * compared with the original tree, and any difference but those
 * attributes refuses the conversion.
 */
#define _GNU_SOURCE
#include "convert.h"

#include <stdlib.h>
#include <string.h>

#include "xml.h"

#include "xalloc.h"

/* Where one attribute value lies in the text: [start, end). */
struct span {
	size_t start, end;
};

/* Offset just past the first occurrence of END at or after AT, or LEN. */
static size_t
skip_past(const char *t, size_t len, size_t at, const char *end)
{
	const char *p = memmem(t + at, len - at, end, strlen(end));

	return p ? (size_t)(p - t) + strlen(end) : len;
}

/* Offset of the first byte at or after AT that is not XML white space. */
static size_t
skip_blank(const char *t, size_t len, size_t at)
{
	while (at < len && strchr(" \t\r\n", t[at]) != NULL && t[at] != '\0')
		at++;
	return at;
}

/*
 * Scan the start tag at AT (just after its '<'): find the value of
 * attribute "type" into *VALUE (start == end == 0 if absent). Returns
 * the offset after the tag's '>'.
 */
static size_t
scan_tag(const char *t, size_t len, size_t at, struct span *value)
{
	memset(value, 0, sizeof(*value));
	at += strcspn(t + at, " \t\r\n/>"); /* the element name */
	for (;;) {
		size_t name, name_end;
		char q;

		at = skip_blank(t, len, at);
		if (at >= len || t[at] == '>' || t[at] == '/')
			return skip_past(t, len, at, ">");
		name = at;
		at += strcspn(t + at, " \t\r\n=");
		name_end = at;
		at = skip_blank(t, len, at);
		at = skip_blank(t, len, at + 1); /* past '=' */
		if (at >= len)
			return len;
		q = t[at++];
		if (name_end - name == 4 && memcmp(t + name, "type", 4) == 0) {
			value->start = at;
			value->end =
			        at + strcspn(t + at, q == '"' ? "\"" : "'");
		}
		at += strcspn(t + at, q == '"' ? "\"" : "'") + 1;
	}
}

/*
 * The type values of the elements numbered WANT[0..N) (ascending) in
 * document order, into SPANS. Returns 0, or -1 if one is missing.
 */
static int
find_types(const char *t, size_t len, const size_t *want, size_t n,
           struct span *spans)
{
	size_t at = 0, element = 0, k = 0;

	while (k < n && (at = skip_past(t, len, at, "<")) < len) {
		if (strncmp(t + at, "!--", 3) == 0)
			at = skip_past(t, len, at, "-->");
		else if (strncmp(t + at, "![CDATA[", 8) == 0)
			at = skip_past(t, len, at, "]]>");
		else if (t[at] == '?')
			at = skip_past(t, len, at, "?>");
		else if (t[at] == '/' || t[at] == '!')
			at = skip_past(t, len, at, ">");
		else {
			struct span v;

			at = scan_tag(t, len, at, &v);
			if (element++ != want[k])
				continue;
			if (v.start == 0)
				return -1;
			spans[k++] = v;
		}
	}
	return k == n ? 0 : -1;
}

/* Non-zero if the child lists of A and B hold the same kinds of nodes,
 * elements of the same names, and the same text, comments and PIs. */
static int
same_children(xmlNodePtr a, xmlNodePtr b)
{
	for (a = a->children, b = b->children; a && b;
	     a = a->next, b = b->next) {
		if (a->type != b->type)
			return 0;
		if (a->type == XML_ELEMENT_NODE || a->type == XML_PI_NODE)
			if (xmlStrcmp(a->name, b->name) != 0)
				return 0;
		if (a->type != XML_ELEMENT_NODE &&
		    xmlStrcmp(a->content, b->content) != 0)
			return 0;
	}
	return a == NULL && b == NULL;
}

/* Non-zero if elements A and B have the same attributes in the same
 * order, "type" excepted, which must be AGENT in B when AGENT is set. */
static int
same_attributes(xmlNodePtr a, xmlNodePtr b, const char *agent)
{
	xmlAttrPtr x = a->properties, y = b->properties;
	int same = 1;

	for (; x && y && same; x = x->next, y = y->next) {
		xmlChar *u = xmlNodeGetContent((xmlNodePtr)x),
		        *v = xmlNodeGetContent((xmlNodePtr)y);
		int is_type = agent && !xmlStrcmp(x->name, BAD_CAST "type");

		same = !xmlStrcmp(x->name, y->name) && u && v &&
		       !xmlStrcmp(v, is_type ? BAD_CAST agent : u);
		if (u)
			xmlFree(u);
		if (v)
			xmlFree(v);
	}
	return same && x == NULL && y == NULL;
}

/* Non-zero if NEW is OLD with exactly the type changes CIB asks for. */
static int
same_but_types(xmlDocPtr old, xmlDocPtr new, const struct cv_cib *cib)
{
	xmlNodePtr a = xmlDocGetRootElement(old), b = xmlDocGetRootElement(new);
	size_t index = 0, k = 0;
	int da = 1, db = 1;

	if (!same_children((xmlNodePtr)old, (xmlNodePtr) new))
		return 0;
	for (; a && b; index++) {
		const char *agent = NULL;

		while (k < cib->ndev && cib->dev[k].index < index)
			k++;
		if (k < cib->ndev && cib->dev[k].index == index)
			agent = cib->dev[k].agent;
		if (!same_children(a, b) || !same_attributes(a, b, agent))
			return 0;
		a = convert_next_element(a, &da);
		b = convert_next_element(b, &db);
	}
	return a == NULL && b == NULL;
}

/* Append S to *OUT (length *N), escaped for an attribute value. */
static void
append_escaped(char **out, size_t *n, const char *s)
{
	for (; *s; s++) {
		char tmp[8];
		const char *e = *s == '&'    ? "&amp;"
		                : *s == '<'  ? "&lt;"
		                : *s == '"'  ? "&quot;"
		                : *s == '\'' ? "&apos;"
		                             : NULL;
		size_t l;

		if (e == NULL) {
			tmp[0] = *s;
			tmp[1] = '\0';
			e = tmp;
		}
		l = strlen(e);
		*out = xrealloc(*out, *n + l + 1);
		memcpy(*out + *n, e, l);
		*n += l;
	}
}

/* Append the LEN bytes at S to *OUT (length *N). */
static void
append(char **out, size_t *n, const char *s, size_t len)
{
	*out = xrealloc(*out, *n + len + 1);
	memcpy(*out + *n, s, len);
	*n += len;
}

char *
convert_splice(const char *text, size_t len, void *doc,
               const struct cv_cib *cib, size_t *outlen, char **why)
{
	size_t *want = xcalloc(cib->ndev + 1, sizeof(*want)), n = 0, at = 0;
	struct span *spans = xcalloc(cib->ndev + 1, sizeof(*spans));
	char *out = NULL;
	size_t olen = 0;
	struct cv_cib again;
	void *check;

	for (size_t i = 0; i < cib->ndev; i++)
		if (cib->dev[i].agent != NULL)
			want[n++] = cib->dev[i].index;
	*why = NULL;
	if (find_types(text, len, want, n, spans) < 0) {
		*why = xstrdup("cannot find a device's type attribute in the "
		               "text (a bug: please report it)");
		goto out;
	}
	for (size_t i = 0, k = 0; i < cib->ndev; i++) {
		if (cib->dev[i].agent == NULL)
			continue;
		append(&out, &olen, text + at, spans[k].start - at);
		append_escaped(&out, &olen, cib->dev[i].agent);
		at = spans[k++].end;
	}
	append(&out, &olen, text + at, len - at);
	out[olen] = '\0';
	check = convert_parse(out, olen, &again, why);
	if (check != NULL && !same_but_types(doc, check, cib))
		*why = xstrdup("the rewritten CIB differs from the original "
		               "in more than the type attributes (a bug: "
		               "please report it)");
	if (check != NULL)
		convert_cib_free(&again);
	convert_doc_free(check);
out:
	free(want);
	free(spans);
	if (*why != NULL) {
		free(out);
		return NULL;
	}
	*outlen = olen;
	return out;
}
