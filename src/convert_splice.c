/*
 * convert_splice.c - the rewrite of --convert-cib: the type attribute of
 * each converted device changes and every other byte of the CIB stays.
 *
 * Serialising libxml2's tree would rewrite what the parser does not
 * keep (quotes, blanks inside tags, the XML declaration, character
 * references), so the new values are spliced into the original text
 * instead. Where each value lies is found by a tokenizer that knows the
 * lexical structure of XML (comments, CDATA sections, processing
 * instructions, end tags, start tags with quoted attribute values) and
 * walks in step with libxml2's tree: every start tag must name the
 * element libxml2 has at that place in document order, every attribute
 * must be the tree's next one, same qualified name, same value once
 * its references are decoded and its blanks normalised. The attribute
 * changed is the one libxml2 read the type from (xmlGetProp: the first
 * whose local name is "type"). Any disagreement refuses the conversion;
 * so does the last check, a second parse of the result compared with
 * the first: only those attributes may differ.
 */
#define _GNU_SOURCE
#include "convert.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xml.h"

#include "xalloc.h"

/* Where one attribute value lies in the text: [start, end). */
struct span {
	size_t start, end;
};

/* One attribute as the text spells it: name [name, name_end), value
 * [value, value_end) between its quotes. */
struct raw_attr {
	size_t name, name_end, value, value_end;
};

/* What the tokenizer returns when the text is not what it expects. */
#define NO_MATCH SIZE_MAX

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static size_t
skip_blank(const char *t, size_t len, size_t at)
{
	while (at < len && is_blank(t[at]))
		at++;
	return at;
}

/* Offset just past the first END at or after AT, or NO_MATCH. */
static size_t
past(const char *t, size_t len, size_t at, const char *end)
{
	size_t n = strlen(end);
	const char *p = at <= len ? memmem(t + at, len - at, end, n) : NULL;

	return p ? (size_t)(p - t) + n : NO_MATCH;
}

/* The end of the name at AT (no byte of it may end a name), or
 * NO_MATCH if there is no name there. */
static size_t
name_end(const char *t, size_t len, size_t at)
{
	size_t start = at;

	while (at < len && !is_blank(t[at]) && !strchr("=/>'\"<", t[at]))
		at++;
	return at > start ? at : NO_MATCH;
}

/* Non-zero if the text [S, E) is the qualified name of NAME in NS. */
static int
qname_is(const char *t, size_t s, size_t e, const xmlNs *ns,
         const xmlChar *name)
{
	size_t n = e - s, p = 0, l = strlen((const char *)name);

	if (ns != NULL && ns->prefix != NULL) {
		p = strlen((const char *)ns->prefix);
		if (n <= p || memcmp(t + s, ns->prefix, p) != 0 ||
		    t[s + p] != ':')
			return 0;
		p++;
	}
	return n - p == l && memcmp(t + s + p, name, l) == 0;
}

/* Encode code point C as UTF-8 into OUT; its length, 0 if C is not a
 * character XML allows. */
static size_t
utf8(unsigned long c, char *out)
{
	if (c == 0 || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* The value of digit C (hexadecimal if HEX), or -1. */
static int
digit(char c, int hex)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (hex && c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (hex && c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The reference at *AT (its '&'), before END, decoded into OUT; its
 * length, *AT moved past its ';'. 0 if it is not one XML knows without
 * a DTD (which a CIB we accept does not have). */
static size_t
decode_ref(const char *t, size_t *at, size_t end, char *out)
{
	static const struct {
		const char *name;
		char c;
	} named[] = {{"lt", '<'},
	             {"gt", '>'},
	             {"amp", '&'},
	             {"quot", '"'},
	             {"apos", '\''}};
	const char *semi = memchr(t + *at, ';', end - *at), *body = t + *at + 1;
	size_t n = semi ? (size_t)(semi - body) : 0;
	unsigned long c = 0;
	int hex;

	if (n == 0)
		return 0;
	*at += n + 2;
	for (size_t i = 0; i < sizeof(named) / sizeof(*named); i++)
		if (strlen(named[i].name) == n &&
		    !memcmp(body, named[i].name, n)) {
			out[0] = named[i].c;
			return 1;
		}
	if (body[0] != '#')
		return 0;
	hex = body[1] == 'x';
	if (n == (hex ? 2u : 1u))
		return 0;
	for (size_t i = hex ? 2 : 1; i < n; i++) {
		int d = digit(body[i], hex);

		if (d < 0 || c > 0x10ffff)
			return 0;
		c = c * (hex ? 16 : 10) + (unsigned long)d;
	}
	return utf8(c, out);
}

/* Non-zero if the raw value [AT, END) means WANT: references decoded,
 * each blank (a CR LF pair as one) a space, as XML normalises an
 * attribute that no DTD declares. */
static int
value_is(const char *t, size_t at, size_t end, const char *want)
{
	size_t k = 0;

	while (at < end) {
		char buf[4] = {' '};
		size_t n = 1;

		if (t[at] == '&')
			n = decode_ref(t, &at, end, buf);
		else if (t[at] == '\r')
			at += at + 1 < end && t[at + 1] == '\n' ? 2 : 1;
		else if (is_blank(t[at]))
			at++;
		else
			buf[0] = t[at++];
		if (n == 0 || strncmp(want + k, buf, n) != 0)
			return 0;
		k += n;
	}
	return want[k] == '\0';
}

/* Offset past the markup at AT (a '<') when it is not a start tag:
 * a comment, a CDATA section, a processing instruction or an end tag.
 * 0 for a start tag; NO_MATCH for anything else (a DTD, refused before
 * parsing) or markup that does not end. */
static size_t
skip_other(const char *t, size_t len, size_t at)
{
	const char *s = t + at;
	size_t left = len - at;

	if (left >= 4 && memcmp(s, "<!--", 4) == 0)
		return past(t, len, at + 4, "-->");
	if (left >= 9 && memcmp(s, "<![CDATA[", 9) == 0)
		return past(t, len, at + 9, "]]>");
	if (left >= 2 && s[1] == '?')
		return past(t, len, at + 2, "?>");
	if (left >= 2 && s[1] == '/')
		return past(t, len, at + 2, ">");
	if (left >= 2 && s[1] == '!')
		return NO_MATCH;
	return 0;
}

/* Read the attribute at AT into *A; the offset after its closing quote,
 * or NO_MATCH. */
static size_t
scan_attribute(const char *t, size_t len, size_t at, struct raw_attr *a)
{
	const char *q;

	a->name = at;
	if ((at = name_end(t, len, at)) == NO_MATCH)
		return NO_MATCH;
	a->name_end = at;
	at = skip_blank(t, len, at);
	if (at >= len || t[at] != '=')
		return NO_MATCH;
	at = skip_blank(t, len, at + 1);
	if (at >= len || (t[at] != '"' && t[at] != '\''))
		return NO_MATCH;
	q = memchr(t + at + 1, t[at], len - at - 1);
	if (q == NULL)
		return NO_MATCH;
	a->value = at + 1;
	a->value_end = (size_t)(q - t);
	return a->value_end + 1;
}

/* Non-zero if A is named as a namespace declaration is (libxml2 keeps
 * those apart from the attributes, or drops them). */
static int
is_ns_decl(const char *t, const struct raw_attr *a)
{
	size_t n = a->name_end - a->name;

	return n >= 5 && memcmp(t + a->name, "xmlns", 5) == 0 &&
	       (n == 5 || t[a->name + 5] == ':');
}

/* The value of attribute X: its one text node's content where it has
 * one (no copy, *COPY NULL), else a copy in *COPY (xmlFree it). */
static const xmlChar *
value_of(xmlAttrPtr x, xmlChar **copy)
{
	xmlNodePtr c = x->children;

	*copy = NULL;
	if (c == NULL)
		return BAD_CAST "";
	if (c->next == NULL && c->type == XML_TEXT_NODE && c->content)
		return c->content;
	*copy = xmlNodeGetContent((xmlNodePtr)x);
	return *copy ? *copy : BAD_CAST "";
}

/* Non-zero if the text's attribute A is libxml2's attribute X. */
static int
same_attribute(const char *t, const struct raw_attr *a, xmlAttrPtr x)
{
	xmlChar *copy;
	int same;

	if (x == NULL || !qname_is(t, a->name, a->name_end, x->ns, x->name))
		return 0;
	same = value_is(t, a->value, a->value_end,
	                (const char *)value_of(x, &copy));
	if (copy)
		xmlFree(copy);
	return same;
}

/*
 * Match the start tag at AT (its '<') with element E: its name, then
 * each attribute in turn. The value of the attribute libxml2 reads the
 * type from goes to *TYPE (*FOUND set). Returns the offset after the
 * tag, or NO_MATCH.
 */
static size_t
scan_start_tag(const char *t, size_t len, size_t at, xmlNodePtr e,
               struct span *type, int *found)
{
	xmlAttrPtr x = e->properties;
	size_t end = name_end(t, len, at + 1);

	*found = 0;
	if (end == NO_MATCH || !qname_is(t, at + 1, end, e->ns, e->name))
		return NO_MATCH;
	for (at = end;;) {
		struct raw_attr a;

		at = skip_blank(t, len, at);
		if (at < len && t[at] == '>')
			return x == NULL ? at + 1 : NO_MATCH;
		if (at + 1 < len && t[at] == '/' && t[at + 1] == '>')
			return x == NULL ? at + 2 : NO_MATCH;
		if ((at = scan_attribute(t, len, at, &a)) == NO_MATCH)
			return NO_MATCH;
		/* libxml2 keeps an odd xmlns:... (xmlns:1x, xmlns:) as an
		 * attribute, and drops some (xmlns:xml="..."). */
		if (!same_attribute(t, &a, x)) {
			if (is_ns_decl(t, &a))
				continue;
			return NO_MATCH;
		}
		if (!*found && xmlStrcmp(x->name, BAD_CAST "type") == 0) {
			*found = 1;
			type->start = a.value;
			type->end = a.value_end;
		}
		x = x->next;
	}
}

/*
 * Walk the text and DOC's elements together, in document order: the
 * type values of the elements numbered WANT[0..N) (ascending) go to
 * SPANS. Returns 0, or -1 if the text and the tree disagree anywhere.
 */
static int
find_types(const char *t, size_t len, xmlDocPtr doc, const size_t *want,
           size_t n, struct span *spans)
{
	xmlNodePtr e = xmlDocGetRootElement(doc);
	size_t at = 0, index = 0, k = 0;
	const char *lt;
	int depth = 1;

	while (at < len && (lt = memchr(t + at, '<', len - at)) != NULL) {
		size_t next = skip_other(t, len, (size_t)(lt - t));
		struct span type;
		int found;

		if (next == NO_MATCH)
			return -1;
		if (next != 0) {
			at = next;
			continue;
		}
		if (e == NULL)
			return -1;
		next = scan_start_tag(t, len, (size_t)(lt - t), e, &type,
		                      &found);
		if (next == NO_MATCH)
			return -1;
		if (k < n && want[k] == index) {
			if (!found)
				return -1;
			spans[k++] = type;
		}
		e = convert_next_element(e, &depth);
		index++;
		at = next;
	}
	return e == NULL && k == n ? 0 : -1;
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
 * order, but for the one the type is read from (the first of local
 * name "type"), which must be AGENT in B when AGENT is set. */
static int
same_attributes(xmlNodePtr a, xmlNodePtr b, const char *agent)
{
	xmlAttrPtr x = a->properties, y = b->properties;
	int same = 1;

	for (; x && y && same; x = x->next, y = y->next) {
		xmlChar *cu, *cv;
		const xmlChar *u = value_of(x, &cu), *v = value_of(y, &cv);
		int is_type = agent && !xmlStrcmp(x->name, BAD_CAST "type");

		same = !xmlStrcmp(x->name, y->name) &&
		       (x->ns == NULL) == (y->ns == NULL) &&
		       (x->ns == NULL ||
		        !xmlStrcmp(x->ns->prefix, y->ns->prefix)) &&
		       !xmlStrcmp(v, is_type ? BAD_CAST agent : u);
		if (is_type)
			agent = NULL;
		if (cu)
			xmlFree(cu);
		if (cv)
			xmlFree(cv);
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
		if (!same_children(a, b) || !same_attributes(a, b, agent) ||
		    xmlStrcmp(a->name, b->name) != 0)
			return 0;
		a = convert_next_element(a, &da);
		b = convert_next_element(b, &db);
	}
	return a == NULL && b == NULL;
}

/* The escapes of C in an attribute value, or NULL if C stands as it is. */
static const char *
escape(char c)
{
	return c == '&'    ? "&amp;"
	       : c == '<'  ? "&lt;"
	       : c == '"'  ? "&quot;"
	       : c == '\'' ? "&apos;"
	                   : NULL;
}

/* Write S at OUT (NULL: only count), escaped for an attribute value;
 * returns the length. */
static size_t
put_escaped(char *out, const char *s)
{
	size_t n = 0;

	for (; *s; s++) {
		const char *e = escape(*s);
		size_t l = e ? strlen(e) : 1;

		if (out != NULL)
			memcpy(out + n, e ? e : s, l);
		n += l;
	}
	return n;
}

/* TEXT with each SPANS[k] replaced by the agent of the k-th converted
 * device of CIB: a new string of *OUTLEN bytes, sized in one pass. */
static char *
rewrite(const char *text, size_t len, const struct cv_cib *cib,
        const struct span *spans, size_t *outlen)
{
	size_t size = len, at = 0, o = 0, k = 0;
	char *out;

	for (size_t i = 0; i < cib->ndev; i++)
		if (cib->dev[i].agent != NULL) {
			size = size - (spans[k].end - spans[k].start) +
			       put_escaped(NULL, cib->dev[i].agent);
			k++;
		}
	out = xmalloc(size + 1);
	for (size_t i = 0, j = 0; i < cib->ndev; i++) {
		if (cib->dev[i].agent == NULL)
			continue;
		memcpy(out + o, text + at, spans[j].start - at);
		o += spans[j].start - at;
		o += put_escaped(out + o, cib->dev[i].agent);
		at = spans[j++].end;
	}
	memcpy(out + o, text + at, len - at);
	o += len - at;
	out[o] = '\0';
	*outlen = o;
	return out;
}

char *
convert_splice(const char *text, size_t len, void *doc,
               const struct cv_cib *cib, size_t *outlen, char **why)
{
	size_t *want = xcalloc(cib->ndev + 1, sizeof(*want)), n = 0, olen = 0;
	struct span *spans = xcalloc(cib->ndev + 1, sizeof(*spans));
	char *out = NULL;
	void *check;

	for (size_t i = 0; i < cib->ndev; i++)
		if (cib->dev[i].agent != NULL)
			want[n++] = cib->dev[i].index;
	*why = NULL;
	if (find_types(text, len, doc, want, n, spans) < 0) {
		*why = xstrdup("cannot find a device's type attribute in the "
		               "text (a bug: please report it)");
		goto out;
	}
	out = rewrite(text, len, cib, spans, &olen);
	check = convert_parse_doc(out, olen, why);
	if (check != NULL && !same_but_types(doc, check, cib))
		*why = xstrdup("the rewritten CIB differs from the original "
		               "in more than the type attributes (a bug: "
		               "please report it)");
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
