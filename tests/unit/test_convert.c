/*
 * test_convert.c - fence_hbwrap --convert-cib (src/convert*.c): one test
 * per rewrite rule, the hardened reading, the byte-exact rewrite, the
 * report's promises and the pcs commands.
 */
#define _GNU_SOURCE
#include "unit.h"

#include <dirent.h>
#include <signal.h>
#include <sys/prctl.h>

#include "convert.h"
#include "xalloc.h"

/* A CIB written the ways a person may write one: single quotes, blanks
 * around '=', an XML declaration, a comment and a CDATA section that
 * look like devices, '>' in a value, type before or after the class. */
static const char odd_cib[] =
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        "<!-- <primitive class=\"stonith\" type=\"external/ipmi\"/> -->\n"
        "<cib epoch = '3'  admin_epoch=\"0\"><configuration><crm_config/>"
        "<resources>\n"
        "  <primitive type='external/ipmi'  id=\"F1\" class = 'stonith' >"
        "<instance_attributes id='F1-ia'>"
        "<nvpair id='a' name='hostname' value='n1 &gt; n2&#10;'/>"
        "<nvpair id='b' name='passwd' value='S3cret!'/>"
        "</instance_attributes></primitive>\n"
        "  <primitive id=\"D1\" class=\"ocf\" provider=\"heartbeat\" "
        "type=\"Dummy\"><![CDATA[<primitive type=\"external/x\">]]>"
        "</primitive>\n"
        "  <primitive id=\"F2\" class=\"stonith\" type=\"ipmilan\"/>\n"
        "  <group id=\"G\"><primitive id=\"F3\" class=\"stonith\" "
        "type=\"external/ssh\"></primitive></group>\n"
        "</resources><constraints/></configuration>"
        "<status><node_state id=\"1\"><lrm><lrm_resources>"
        "<lrm_resource id=\"F1\" class=\"stonith\" type=\"external/ipmi\"/>"
        "</lrm_resources></lrm></node_state></status></cib>\n";

/* odd_cib with F1 and F3 converted and nothing else changed. */
static const char odd_cib_converted[] =
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        "<!-- <primitive class=\"stonith\" type=\"external/ipmi\"/> -->\n"
        "<cib epoch = '3'  admin_epoch=\"0\"><configuration><crm_config/>"
        "<resources>\n"
        "  <primitive type='fence_hb_ipmi'  id=\"F1\" class = 'stonith' >"
        "<instance_attributes id='F1-ia'>"
        "<nvpair id='a' name='hostname' value='n1 &gt; n2&#10;'/>"
        "<nvpair id='b' name='passwd' value='S3cret!'/>"
        "</instance_attributes></primitive>\n"
        "  <primitive id=\"D1\" class=\"ocf\" provider=\"heartbeat\" "
        "type=\"Dummy\"><![CDATA[<primitive type=\"external/x\">]]>"
        "</primitive>\n"
        "  <primitive id=\"F2\" class=\"stonith\" type=\"ipmilan\"/>\n"
        "  <group id=\"G\"><primitive id=\"F3\" class=\"stonith\" "
        "type=\"fence_hb_ssh\"></primitive></group>\n"
        "</resources><constraints/></configuration>"
        "<status><node_state id=\"1\"><lrm><lrm_resources>"
        "<lrm_resource id=\"F1\" class=\"stonith\" type=\"external/ipmi\"/>"
        "</lrm_resources></lrm></node_state></status></cib>\n";

/* A CIB as pcs writes it, with a fencing level of each target kind. */
static const char pcs_cib[] =
        "<cib><configuration><resources>\n"
        "<primitive id=\"F1\" class=\"stonith\" type=\"external/ipmi\">\n"
        "<instance_attributes id=\"F1-ia\">\n"
        "<nvpair id=\"1\" name=\"hostname\" value=\"node1\"/>\n"
        "<nvpair id=\"2\" name=\"passwd\" value=\"it's secret\"/>\n"
        "<nvpair id=\"3\" name=\"pcmk_host_map\" "
        "value=\"node1:Port1;n2:p2\"/>\n"
        "</instance_attributes>\n"
        "<meta_attributes id=\"F1-ma\">"
        "<nvpair id=\"4\" name=\"target-role\" value=\"Stopped\"/>"
        "</meta_attributes>\n"
        "<operations><op id=\"F1-m\" name=\"monitor\" interval=\"60s\"/>"
        "</operations>\n"
        "</primitive>\n"
        "<primitive id=\"F9\" class=\"stonith\" type=\"null\"/>\n"
        "<primitive id=\"FA\" class=\"stonith\" type=\"fence_ipmilan\">"
        "<instance_attributes id=\"FA-ia\"><nvpair id=\"5\" name=\"ip\" "
        "value=\"192.0.2.9\"/></instance_attributes></primitive>\n"
        "</resources>\n"
        "<fencing-topology>\n"
        "<fencing-level id=\"l1\" index=\"1\" target=\"node1\" "
        "devices=\"F1\"/>\n"
        "<fencing-level id=\"l2\" index=\"2\" target-pattern=\"node.*\" "
        "devices=\"F1\"/>\n"
        "<fencing-level id=\"l3\" index=\"3\" target-attribute=\"rack\" "
        "target-value=\"r1\" devices=\"F1\"/>\n"
        "<fencing-level id=\"l4\" index=\"4\" target=\"node1\" "
        "devices=\"F1,F9\"/>\n"
        "<fencing-level id=\"l5\" index=\"5\" target=\"node1\" "
        "devices=\"F1,FA\"/>\n"
        "</fencing-topology></configuration><status/></cib>\n";

/* Parse TEXT, expecting success; fills *CIB, returns the document. */
static void *
parse_ok(const char *text, struct cv_cib *cib)
{
	char *why = NULL;
	void *doc = convert_parse(text, strlen(text), cib, &why);

	ck_assert_msg(doc != NULL, "refused: %s", why ? why : "?");
	return doc;
}

/* The reason TEXT (LEN bytes) is refused, which must be one line. */
static char *
refused(const char *text, size_t len)
{
	struct cv_cib cib;
	char *why = NULL;
	void *doc = convert_parse(text, len, &cib, &why);

	ck_assert_ptr_null(doc);
	ck_assert_ptr_nonnull(why);
	ck_assert_ptr_null(strchr(why, '\n'));
	return why;
}

static struct cv_device
device_of_type(const char *type)
{
	struct cv_device d;

	memset(&d, 0, sizeof(d));
	d.type = (char *)type;
	convert_classify(&d);
	return d;
}

/* ---- the rules ---------------------------------------------------- */

START_TEST(external_plugin_type_becomes_fence_hb_plugin)
{
	struct cv_device d = device_of_type("external/ipmi");

	ck_assert_str_eq(d.agent, "fence_hb_ipmi");
	ck_assert_str_eq(d.plugin, "ipmi");
	ck_assert_ptr_null(d.why_not);
	free(d.agent);
	free(d.plugin);
}
END_TEST

START_TEST(compiled_lha_type_is_not_converted_and_names_its_replacement)
{
	struct cv_device d = device_of_type("ipmilan");

	ck_assert_ptr_null(d.agent);
	ck_assert_ptr_nonnull(d.why_not);
	ck_assert_str_eq(d.instead, "fence_ipmilan");
	free(d.instead);
	d = device_of_type("rhcs/apc");
	ck_assert_ptr_null(d.agent);
	ck_assert_str_eq(d.instead, "fence_apc");
	free(d.instead);
}
END_TEST

START_TEST(compiled_lha_type_without_obvious_replacement_names_none)
{
	struct cv_device d = device_of_type("null");

	ck_assert_ptr_null(d.agent);
	ck_assert_ptr_nonnull(d.why_not);
	ck_assert_ptr_null(d.instead);
}
END_TEST

START_TEST(fence_agent_type_is_kept_as_it_is)
{
	struct cv_device d = device_of_type("fence_ipmilan");

	ck_assert_ptr_null(d.agent);
	ck_assert_ptr_null(d.why_not);
	ck_assert_ptr_null(d.instead);
}
END_TEST

START_TEST(type_of_neither_kind_is_not_converted)
{
	struct cv_device d = device_of_type("Dummy");

	ck_assert_ptr_null(d.agent);
	ck_assert_ptr_nonnull(d.why_not);
	ck_assert_ptr_null(d.instead);
}
END_TEST

START_TEST(external_type_with_a_bad_plugin_name_is_not_converted)
{
	struct cv_device d = device_of_type("external/../../bin/sh");

	ck_assert_ptr_null(d.agent);
	ck_assert_ptr_nonnull(d.why_not);
	d = device_of_type("external/");
	ck_assert_ptr_null(d.agent);
}
END_TEST

START_TEST(only_stonith_resources_of_the_configuration_are_devices)
{
	struct cv_cib cib;
	void *doc = parse_ok(odd_cib, &cib);

	/* F1, F2, F3: not D1 (ocf), not the status section's F1, not the
	 * comment or the CDATA. */
	ck_assert_uint_eq(cib.ndev, 3);
	ck_assert_str_eq(cib.dev[0].id, "F1");
	ck_assert_str_eq(cib.dev[1].id, "F2");
	ck_assert_str_eq(cib.dev[2].id, "F3");
	ck_assert_uint_eq(cib.nconverted, 2);
	convert_cib_free(&cib);
	convert_doc_free(doc);
}
END_TEST

START_TEST(rewrite_changes_only_the_type_attributes_byte_for_byte)
{
	struct cv_cib cib;
	void *doc = parse_ok(odd_cib, &cib);
	char *why = NULL, *out;
	size_t len = 0;

	out = convert_splice(odd_cib, strlen(odd_cib), doc, &cib, &len, &why);
	ck_assert_msg(out != NULL, "%s", why ? why : "?");
	ck_assert_uint_eq(len, strlen(odd_cib_converted));
	ck_assert_str_eq(out, odd_cib_converted);
	free(out);
	convert_cib_free(&cib);
	convert_doc_free(doc);
}
END_TEST

START_TEST(device_in_a_group_is_converted_but_not_recreated_by_pcs)
{
	struct cv_cib cib;
	void *doc = parse_ok(odd_cib, &cib);

	ck_assert_str_eq(cib.dev[2].agent, "fence_hb_ssh");
	ck_assert_ptr_nonnull(cib.dev[2].pcs_limit);
	ck_assert_ptr_null(cib.dev[0].pcs_limit);
	convert_cib_free(&cib);
	convert_doc_free(doc);
}
END_TEST

START_TEST(stonith_template_is_converted_too)
{
	static const char cib_text[] =
	        "<cib><configuration><resources><template id=\"T\" "
	        "class=\"stonith\" type=\"external/ipmi\"/><primitive "
	        "id=\"F\" template=\"T\"/></resources></configuration></cib>";
	struct cv_cib cib;
	void *doc = parse_ok(cib_text, &cib);
	char *why = NULL, *out;
	size_t len;

	ck_assert_uint_eq(cib.ndev, 1);
	ck_assert_str_eq(cib.dev[0].element, "template");
	out = convert_splice(cib_text, strlen(cib_text), doc, &cib, &len, &why);
	ck_assert_ptr_nonnull(out);
	ck_assert_ptr_nonnull(strstr(out,
	                             "<template id=\"T\" class=\"stonith\" "
	                             "type=\"fence_hb_ipmi\"/>"));
	free(out);
	convert_cib_free(&cib);
	convert_doc_free(doc);
}
END_TEST

START_TEST(parameters_meta_attributes_ops_and_levels_are_read)
{
	struct cv_cib cib;
	void *doc = parse_ok(pcs_cib, &cib);
	const struct cv_device *d = &cib.dev[0];

	ck_assert_uint_eq(d->params.n, 3);
	ck_assert_str_eq(d->params.v[1].name, "passwd");
	ck_assert_str_eq(d->params.v[1].value, "it's secret");
	ck_assert_uint_eq(d->meta.n, 1);
	ck_assert_uint_eq(d->nops, 1);
	ck_assert_str_eq(d->ops[0].name, "monitor");
	ck_assert_str_eq(d->ops[0].attrs.v[0].name, "interval");
	ck_assert_uint_eq(cib.nlvl, 5);
	ck_assert_str_eq(cib.lvl[0].target, "node1");
	ck_assert_str_eq(cib.lvl[1].target, "regexp%node.*");
	ck_assert_str_eq(cib.lvl[2].target, "attrib%rack=r1");
	convert_cib_free(&cib);
	convert_doc_free(doc);
}
END_TEST

/* ---- the rewrite, whatever the lexical form ---------------------- */

/* Resources in a CIB around them. */
#define CIB_OF(resources)                                                      \
	"<cib><configuration><resources>" resources                            \
	"</resources></configuration><status/></cib>\n"

/* TEXT with each '@' replaced by WITH: a new string. */
static char *
fill(const char *text, const char *with)
{
	char *out = xmalloc(strlen(text) * (strlen(with) + 1) + 1), *o = out;

	for (; *text; text++)
		if (*text == '@')
			o = stpcpy(o, with);
		else
			*o++ = *text;
	*o = '\0';
	return out;
}

/* TEMPLATE, with FROM at each '@', is a CIB whose every device at an
 * '@' is converted; the result must be TEMPLATE with fence_hb_ipmi at
 * each '@', every other byte the same. */
static void
converts_to(const char *template, const char *from)
{
	char *in = fill(template, from),
	     *want = fill(template, "fence_hb_ipmi");
	struct cv_cib cib;
	void *doc = parse_ok(in, &cib);
	char *why = NULL, *out;
	size_t len = 0, n = 0;

	for (const char *c = template; *c; c++)
		n += *c == '@';
	ck_assert_uint_eq(cib.nconverted, n);
	out = convert_splice(in, strlen(in), doc, &cib, &len, &why);
	ck_assert_msg(out != NULL, "refused: %s", why ? why : "?");
	ck_assert_str_eq(out, want);
	ck_assert_uint_eq(len, strlen(want));
	free(out);
	free(in);
	free(want);
	convert_cib_free(&cib);
	convert_doc_free(doc);
}

START_TEST(comment_opening_with_a_dash_is_read_to_its_real_end)
{
	/* "<!--->" is not a whole comment: it runs on to the next "-->". */
	converts_to("<?xml version=\"1.0\"?>\n"
	            "<!---> <primitive class=\"stonith\" "
	            "type=\"external/ipmi\" id=\"X\"/> -->\n"
	            "<!----><!-- - > - ->-->\n" CIB_OF(
	                    "<!--->--><primitive id=\"F1\" class=\"stonith\" "
	                    "type=\"@\"/><!-- <primitive type=\"a\"/> -->"),
	            "external/ipmi");
}
END_TEST

START_TEST(cdata_section_holding_markup_is_skipped)
{
	converts_to(CIB_OF("<primitive id=\"D\" class=\"ocf\" "
	                   "provider=\"heartbeat\" type=\"Dummy\">"
	                   "<![CDATA[<primitive class=\"stonith\" "
	                   "type=\"external/x\"/> ]] > ]]]]></primitive>"
	                   "<primitive id=\"F1\" class=\"stonith\" "
	                   "type=\"@\"><![CDATA[ type=\"]]></primitive>"),
	            "external/ipmi");
}
END_TEST

START_TEST(processing_instruction_holding_markup_is_skipped)
{
	converts_to(
	        "<?hbwrap <primitive class='stonith' type='a'/> > ?>\n" CIB_OF(
	                "<?pi type=\"external/x\" ? > <!-- ?>"
	                "<primitive id=\"F1\" class=\"stonith\" "
	                "type=\"@\"/><?pi <x type='b'> ?>"),
	        "external/ipmi");
}
END_TEST

START_TEST(gt_quotes_and_markup_inside_values_are_skipped)
{
	converts_to(CIB_OF("<primitive id=\"F1\" description='a > \"b\" /> "
	                   "type=\"external/x\" &lt;!--' class=\"stonith\" "
	                   "subtype=\"external/y\" type=\"@\" "
	                   "types='type=\"z\"'/>"),
	            "external/ipmi");
}
END_TEST

START_TEST(character_references_in_the_type_are_replaced_whole)
{
	converts_to(CIB_OF("<primitive id=\"F1\" class=\"stonith\" "
	                   "description=\"&#10;&#x9;&lt;&amp;\" "
	                   "type=\"@\"/>"),
	            "external&#47;ipmi");
	converts_to(CIB_OF("<primitive id=\"F1\" class=\"stonith\" "
	                   "type='@'/>"),
	            "&#x65;xternal&#x2F;ipm&#105;");
}
END_TEST

START_TEST(blanks_around_equals_and_between_attributes_are_kept)
{
	converts_to(CIB_OF("<primitive\n\tid = \"F1\"\r\n class\t=\t'stonith'"
	                   "\n type\n=\n\"@\"\n/>"),
	            "external/ipmi");
}
END_TEST

START_TEST(single_and_double_quotes_are_each_kept)
{
	converts_to(CIB_OF("<primitive id='F1' class='stonith' type='@' "
	                   "description='say \"hi\"'/>"
	                   "<primitive id=\"F2\" class=\"stonith\" "
	                   "description=\"it's\" type=\"@\"/>"),
	            "external/ipmi");
}
END_TEST

START_TEST(namespaced_attributes_are_told_apart)
{
	/* libxml2 (and Pacemaker) read the type from the first attribute
	 * whose local name is "type": that one changes, and only that. */
	converts_to(CIB_OF("<primitive xmlns:x=\"urn:x\" x:kind=\"external/a\" "
	                   "id=\"F1\" class=\"stonith\" type=\"@\" "
	                   "x:typ=\"external/b\"/>"
	                   "<primitive xmlns:y=\"urn:y\" id=\"F2\" "
	                   "class=\"stonith\" y:type=\"@\" "
	                   "type=\"external/other\"/>"
	                   /* libxml2 keeps these as attributes, or drops
	                    * them: no namespace is declared. */
	                   "<primitive xmlns:=\"a\" xmlns:1x=\"b\" "
	                   "xmlns:xml=\"c\" xmlns:q=\"\" id=\"F3\" "
	                   "q:type=\"external/x\" class=\"stonith\" "
	                   "type=\"@\"/>"),
	            "external/ipmi");
}
END_TEST

/* ---- bad input -------------------------------------------------- */

START_TEST(input_that_is_not_xml_is_refused)
{
	char *why = refused("<cib><configuration>", 20);

	ck_assert_ptr_nonnull(strstr(why, "not well-formed"));
	free(why);
}
END_TEST

START_TEST(xml_that_is_not_a_cib_is_refused)
{
	char *why = refused("<resources/>", 12);

	ck_assert_ptr_nonnull(strstr(why, "not a CIB"));
	free(why);
	why = refused("<cib/>", 6);
	free(why);
}
END_TEST

START_TEST(dtd_and_entities_are_refused)
{
	static const char dtd[] = "<!DOCTYPE cib SYSTEM \"http://x/y\"><cib>"
	                          "<configuration/></cib>";
	static const char ent[] =
	        "<cib><!ENTITY x \"y\"><configuration/></cib>";
	char *why = refused(dtd, strlen(dtd));

	ck_assert_ptr_nonnull(strstr(why, "DTD"));
	free(why);
	why = refused(ent, strlen(ent));
	ck_assert_ptr_nonnull(strstr(why, "entities"));
	free(why);
}
END_TEST

START_TEST(nul_byte_is_refused)
{
	char *why = refused("<cib>\0<configuration/></cib>", 28);

	ck_assert_ptr_nonnull(strstr(why, "NUL"));
	free(why);
}
END_TEST

START_TEST(nesting_deeper_than_the_bound_is_refused)
{
	size_t depth = CONVERT_MAX_DEPTH + 1, len = 0;
	char *text = malloc(depth * 8 + 64);

	ck_assert_ptr_nonnull(text);
	len += (size_t)sprintf(text, "<cib><configuration>");
	for (size_t i = 2; i < depth; i++)
		len += (size_t)sprintf(text + len, "<a>");
	for (size_t i = 2; i < depth; i++)
		len += (size_t)sprintf(text + len, "</a>");
	len += (size_t)sprintf(text + len, "</configuration></cib>");
	free(refused(text, len));
	free(text);
}
END_TEST

START_TEST(file_over_the_size_bound_is_refused)
{
	char *path = unit_path(unit_dir, "big.xml"), *text = NULL, *why = NULL;
	size_t len;
	int fd = open(path, O_WRONLY | O_CREAT, 0600);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, CONVERT_MAX_BYTES + 1), 0);
	close(fd);
	ck_assert_int_eq(convert_read(path, &text, &len, &why), -1);
	ck_assert_ptr_nonnull(strstr(why, "larger than"));
	free(why);
	free(path);
}
END_TEST

START_TEST(unreadable_or_empty_file_is_refused)
{
	char *path = unit_write_file(unit_dir, "empty.xml", "", 0600);
	char *text = NULL, *why = NULL;
	size_t len;

	ck_assert_int_eq(convert_read(path, &text, &len, &why), -1);
	ck_assert_ptr_nonnull(strstr(why, "empty"));
	free(why);
	ck_assert_int_eq(convert_read(unit_dir, &text, &len, &why), -1);
	ck_assert_ptr_nonnull(strstr(why, "cannot read"));
	free(why);
	free(path);
}
END_TEST

/* ---- pcs commands ---------------------------------------------------- */

START_TEST(shell_quote_leaves_safe_words_and_quotes_the_rest)
{
	char *q = convert_shell_quote("pcmk_host_list=n1,n2");

	ck_assert_str_eq(q, "pcmk_host_list=n1,n2");
	free(q);
	q = convert_shell_quote("passwd=it's $HOME `x`;");
	ck_assert_str_eq(q, "'passwd=it'\\''s $HOME `x`;'");
	free(q);
	q = convert_shell_quote("");
	ck_assert_str_eq(q, "''");
	free(q);
}
END_TEST

/* convert_pcs() of CIB (SHOW: secrets shown), its notes in *NOTES
 * (caller frees). */
static char *
pcs_with_notes(const struct cv_cib *cib, int show, char **notes)
{
	size_t nlen;
	FILE *fp = open_memstream(notes, &nlen);
	char *out;

	ck_assert_ptr_nonnull(fp);
	out = convert_pcs(cib, show, fp);
	fclose(fp);
	return out;
}

START_TEST(pcs_commands_recreate_devices_and_levels)
{
	struct cv_cib cib;
	void *doc = parse_ok(pcs_cib, &cib);
	char *notes = NULL, *out = pcs_with_notes(&cib, 1, &notes);

	ck_assert_ptr_nonnull(
	        strstr(out, "pcs stonith create -- F1 fence_hb_ipmi "
	                    "hostname=node1 'passwd=it'\\''s secret' "
	                    "'pcmk_host_map=node1:Port1;n2:p2' op monitor "
	                    "interval=60s meta target-role=Stopped\n"));
	ck_assert_ptr_nonnull(
	        strstr(out, "\npcs stonith level add -- 1 node1 F1\n"));
	ck_assert_ptr_nonnull(strstr(
	        out, "\npcs stonith level add -- 2 'regexp%node.*' F1\n"));
	ck_assert_ptr_nonnull(strstr(
	        out, "\npcs stonith level add -- 3 attrib%rack=r1 F1\n"));
	/* A fence agent already is recreated as it is. */
	ck_assert_ptr_nonnull(strstr(out,
	                             "\npcs stonith create -- FA fence_ipmilan "
	                             "ip=192.0.2.9\n"));
	ck_assert_ptr_nonnull(
	        strstr(out, "\npcs stonith level add -- 5 node1 F1 FA\n"));
	/* Level 4 names F9, which is not converted. */
	ck_assert_ptr_null(strstr(out, "level add -- 4"));
	ck_assert_ptr_null(strstr(out, "F9"));
	ck_assert_ptr_nonnull(strstr(notes, "fencing level 4 of node1 names a "
	                                    "device not recreated"));
	/* Only commands: a file of them runs as it is. */
	ck_assert_ptr_null(strstr(out, "#"));
	free(notes);
	free(out);
	convert_cib_free(&cib);
	convert_doc_free(doc);
}
END_TEST

START_TEST(pcs_commands_take_secrets_from_a_required_variable)
{
	struct cv_cib cib;
	void *doc = parse_ok(pcs_cib, &cib);
	char *notes = NULL, *out = pcs_with_notes(&cib, 0, &notes);

	ck_assert_ptr_null(strstr(out, "secret'"));
	ck_assert_ptr_null(strstr(out, "it'\\''s"));
	ck_assert_ptr_nonnull(strstr(out, " passwd=\"${SECRET_F1_PASSWD:?"));
	ck_assert_ptr_nonnull(strstr(notes, "pcs: F1: set SECRET_F1_PASSWD to "
	                                    "the secret passwd"));
	ck_assert_ptr_null(strstr(notes, "secret'"));
	free(notes);
	free(out);
	convert_cib_free(&cib);
	convert_doc_free(doc);
}
END_TEST

/* The --pcs refusal of CIB_OF(RESOURCES) with FENCING (a topology or
 * ""), which must be one line naming WHAT; no commands are written. */
static void
pcs_refuses(const char *text, const char *what)
{
	struct cv_cib cib;
	void *doc = parse_ok(text, &cib);
	char *why = convert_pcs_problem(&cib), *notes = NULL;
	size_t nlen;
	FILE *fp = open_memstream(&notes, &nlen);

	ck_assert_msg(why != NULL, "not refused: %s", text);
	ck_assert_ptr_null(strchr(why, '\n'));
	ck_assert_msg(strstr(why, what) != NULL, "[%s] lacks [%s]", why, what);
	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_null(convert_pcs(&cib, 1, fp));
	fclose(fp);
	ck_assert_str_eq(notes, "");
	free(notes);
	free(why);
	convert_cib_free(&cib);
	convert_doc_free(doc);
}

#define DEVICE_WITH(inside)                                                    \
	"<primitive id=\"f1\" class=\"stonith\" type=\"external/ssh\">" inside \
	"</primitive>"
#define LEVEL(index, target, devices)                                          \
	"<fencing-level id=\"l\" index=\"" index "\" " target                  \
	" devices=\"" devices "\"/>"
#define CIB_WITH_LEVEL(level)                                                  \
	"<cib><configuration><resources>" DEVICE_WITH(                         \
	        "") "</resources><fencing-topology>" level                     \
	            "</fencing-topology></configuration></cib>"

START_TEST(pcs_refuses_an_nvpair_name_pcs_would_read_as_an_option)
{
	pcs_refuses(CIB_OF(DEVICE_WITH(
	                    "<instance_attributes id=\"i\"><nvpair id=\"n\" "
	                    "name=\"hostlist\" value=\"n1\"/><nvpair id=\"m\" "
	                    "name=\"-f/some/path\" value=\"x\"/>"
	                    "</instance_attributes>")),
	            "'-f/some/path' of device f1: pcs would read it as an "
	            "option");
}
END_TEST

START_TEST(pcs_refuses_a_level_target_pcs_would_read_as_an_option)
{
	pcs_refuses(CIB_WITH_LEVEL(LEVEL("1", "target=\"-f/any/path\"", "f1")),
	            "target '-f/any/path' of fencing level 1: pcs would read "
	            "it as an option");
}
END_TEST

START_TEST(pcs_refuses_words_that_are_no_valid_cib_id_or_name)
{
	static const char *const bad[][2] = {
	        {CIB_OF("<primitive id=\"-x\" class=\"stonith\" "
	                "type=\"external/ssh\"/>"),
	         "the device id '-x'"},
	        {CIB_OF("<primitive id=\"1f\" class=\"stonith\" "
	                "type=\"external/ssh\"/>"),
	         "the device id '1f'"},
	        {CIB_OF(DEVICE_WITH("<meta_attributes id=\"m\"><nvpair "
	                            "id=\"n\" name=\"a=b\" value=\"x\"/>"
	                            "</meta_attributes>")),
	         "the meta attribute name 'a=b'"},
	        {CIB_OF(DEVICE_WITH("<operations><op id=\"o\" name=\"meta\" "
	                            "interval=\"1s\"/></operations>")),
	         "the op name 'meta'"},
	        {CIB_OF(DEVICE_WITH("<operations><op id=\"o\" name=\"--force\" "
	                            "interval=\"1s\"/></operations>")),
	         "the op name '--force'"},
	        {CIB_OF(DEVICE_WITH("<operations><op id=\"o\" name=\"monitor\" "
	                            "a:b=\"1s\"/></operations>")),
	         "the op attribute name 'a:b'"},
	        {CIB_OF(DEVICE_WITH("<instance_attributes id=\"i\"><nvpair "
	                            "id=\"n\" name=\"a&#10;b\" value=\"x\"/>"
	                            "</instance_attributes>")),
	         "the nvpair name 'a?b'"},
	        {CIB_OF(DEVICE_WITH("") DEVICE_WITH("")),
	         "the device id 'f1': two devices have it"},
	        {CIB_WITH_LEVEL(LEVEL("0", "target=\"n1\"", "f1")),
	         "the index '0'"},
	        {CIB_WITH_LEVEL(LEVEL("1", "target=\"n1\"", "f1,-f/x")),
	         "the device '-f/x'"},
	        {CIB_WITH_LEVEL(LEVEL("1", "target=\"n1\"", ",")),
	         "the devices ','"},
	        {CIB_WITH_LEVEL(LEVEL("1", "target=\"n%1\"", "f1")),
	         "the target 'n%1'"},
	        {CIB_WITH_LEVEL(LEVEL("1",
	                              "target-attribute=\"-r\" "
	                              "target-value=\"1\"",
	                              "f1")),
	         "the target 'attrib%-r=1'"},
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		pcs_refuses(bad[i][0], bad[i][1]);
}
END_TEST

START_TEST(pcs_commands_end_pcs_options_before_the_cib_words)
{
	static const char text[] =
	        CIB_WITH_LEVEL(LEVEL("1", "target-pattern=\"-n.*\"", "f1"));
	struct cv_cib cib;
	void *doc = parse_ok(text, &cib);
	char *out = convert_pcs(&cib, 1, stderr), *line, *save = NULL;

	ck_assert_ptr_nonnull(out);
	/* A pattern is read after "regexp%": never an option. */
	ck_assert_ptr_nonnull(strstr(out, " 'regexp%-n.*' f1\n"));
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		ck_assert_msg(
		        !strncmp(line, "pcs stonith create -- ", 22) ||
		                !strncmp(line, "pcs stonith level add -- ", 25),
		        "%s", line);
	free(out);
	convert_cib_free(&cib);
	convert_doc_free(doc);
}
END_TEST

/* A stonith device ID with secret NAME. */
#define SECRET_DEVICE(id, name)                                                \
	"<primitive id=\"" id "\" class=\"stonith\" type=\"external/ssh\">"    \
	"<instance_attributes id=\"" id "-i\"><nvpair id=\"" id "-n\" "        \
	"name=\"" name "\" value=\"s\"/></instance_attributes></primitive>"

START_TEST(secret_variables_are_distinct_when_ids_fold_together)
{
	static const char text[] = CIB_OF(
	        SECRET_DEVICE("f-1", "passwd") SECRET_DEVICE("f.1", "passwd")
	                SECRET_DEVICE("f_1", "passwd_2")
	                        SECRET_DEVICE("g", "passwd"));
	struct cv_cib cib;
	void *doc = parse_ok(text, &cib);
	char *notes = NULL, *out = pcs_with_notes(&cib, 0, &notes);
	ck_assert_ptr_nonnull(out);
	/* f-1 and f.1 both fold to SECRET_F_1_PASSWD: each is numbered, in
	 * document order, past the name f_1 has of its own. */
	ck_assert_ptr_nonnull(strstr(out, "-- f-1 fence_hb_ssh passwd=\""
	                                  "${SECRET_F_1_PASSWD_1:?"));
	ck_assert_ptr_nonnull(strstr(out, "-- f.1 fence_hb_ssh passwd=\""
	                                  "${SECRET_F_1_PASSWD_3:?"));
	ck_assert_ptr_nonnull(strstr(out, "-- f_1 fence_hb_ssh passwd_2=\""
	                                  "${SECRET_F_1_PASSWD_2:?"));
	ck_assert_ptr_nonnull(strstr(out, "-- g fence_hb_ssh passwd=\""
	                                  "${SECRET_G_PASSWD:?"));
	ck_assert_ptr_null(strstr(out, "SECRET_F_1_PASSWD:"));
	ck_assert_ptr_nonnull(strstr(notes, "pcs: f-1: set SECRET_F_1_PASSWD_1 "
	                                    "to the secret passwd"));
	ck_assert_ptr_nonnull(strstr(notes, "pcs: f.1: set SECRET_F_1_PASSWD_3 "
	                                    "to the secret passwd"));
	free(notes);
	free(out);
	convert_cib_free(&cib);
	convert_doc_free(doc);
}
END_TEST

START_TEST(hundred_thousand_nvpairs_in_one_device_convert_whole)
{
	enum { N = 100000 };
	FILE *fp;
	char *text = NULL, *want, *out, *why = NULL, *cmds, *last;
	size_t len, outlen;
	struct cv_cib cib;
	void *doc;

	ck_assert_ptr_nonnull(fp = open_memstream(&text, &len));
	fputs("<cib><configuration><resources><primitive id=\"F\" "
	      "class=\"stonith\" type=\"@\"><instance_attributes id=\"i\">",
	      fp);
	for (int i = 0; i < N; i++)
		fprintf(fp, "<nvpair id=\"n%d\" name=\"p%d\" value=\"v%d\"/>\n",
		        i, i % (N - 1), i);
	fputs("</instance_attributes></primitive></resources>"
	      "</configuration></cib>\n",
	      fp);
	fclose(fp);
	want = fill(text, "fence_hb_ipmi");
	out = fill(text, "external/ipmi");
	free(text);
	text = out;
	doc = parse_ok(text, &cib);
	ck_assert_uint_eq(cib.dev[0].params.n, N);
	/* The last name repeats the first: found, among 100000. */
	ck_assert_str_eq(cib.dev[0].pcs_limit, "an attribute set twice");
	out = convert_splice(text, strlen(text), doc, &cib, &outlen, &why);
	ck_assert_msg(out != NULL, "%s", why ? why : "?");
	ck_assert_str_eq(out, want);
	cmds = convert_pcs(&cib, 1, stderr);
	last = xasprintf(" p%d=v%d\n", N - 2, N - 2);
	ck_assert_ptr_nonnull(strstr(cmds, last));
	ck_assert_ptr_null(strstr(cmds, " p0=v99999"));
	free(last);
	free(cmds);
	free(out);
	free(want);
	free(text);
	convert_cib_free(&cib);
	convert_doc_free(doc);
}
END_TEST

/* ---- the report ------------------------------------------------------ */

/* A plugin that requires hostlist and knows passwd. */
static const char plugin_text[] =
        "#!/bin/sh\n"
        "case $1 in\n"
        "getconfignames) echo hostlist ;;\n"
        "getinfo-xml) cat <<'X'\n"
        "<parameters>\n"
        "<parameter name=\"hostlist\" unique=\"0\" required=\"1\">"
        "<content type=\"string\"/><shortdesc lang=\"en\">h</shortdesc>"
        "</parameter>\n"
        "<parameter name=\"passwd\" unique=\"0\" required=\"0\">"
        "<content type=\"string\"/><shortdesc lang=\"en\">p</shortdesc>"
        "</parameter>\n"
        "</parameters>\n"
        "X\n"
        ";;\n"
        "getinfo-*) echo info ;;\n"
        "esac\n"
        "exit 0\n";

/* The report on CIB_TEXT, with PLUGIN (if not NULL) installed as
 * external/unitplug. Caller frees. */
static char *
report_of(const char *cib_text, const char *plugin)
{
	char *plugins = unit_path(unit_dir, "plugins");
	char *cache = unit_path(unit_dir, "cache");
	struct request req;
	struct unit_capture c;
	struct cv_cib cib;
	void *doc;

	ck_assert_int_eq(mkdir(plugins, 0755), 0);
	if (plugin != NULL)
		free(unit_write_file(plugins, "unitplug", plugin, 0755));
	setenv("FENCE_HBWRAP_PLUGIN_DIR", plugins, 1);
	setenv("FENCE_HBWRAP_CACHE_DIR", cache, 1);
	memset(&req, 0, sizeof(req));
	ck_assert_int_eq(request_finish(&req), 0);
	doc = parse_ok(cib_text, &cib);
	unit_capture_start(&c);
	convert_report(stderr, &req, &cib);
	convert_cib_free(&cib);
	convert_doc_free(doc);
	free(plugins);
	free(cache);
	return unit_capture_end(&c);
}

static const char unitplug_cib[] =
        "<cib><configuration><resources>"
        "<primitive id=\"U\" class=\"stonith\" type=\"external/unitplug\">"
        "<instance_attributes id=\"U-ia\">"
        "<nvpair id=\"1\" name=\"passwd\" value=\"Hunter2secret\"/>"
        "<nvpair id=\"2\" name=\"hostlsit\" value=\"node1\"/>"
        "<nvpair id=\"3\" name=\"pcmk_host_map\" value=\"Node1:hunter\"/>"
        "<nvpair id=\"4\" name=\"pcmk_reboot_timeout\" value=\"90\"/>"
        "</instance_attributes></primitive></resources></configuration>"
        "</cib>";

START_TEST(report_names_unknown_and_missing_required_parameters)
{
	char *r = report_of(unitplug_cib, plugin_text);

	ck_assert_ptr_nonnull(strstr(r, "hostlsit is not a parameter of "
	                                "fence_hb_unitplug"));
	ck_assert_ptr_nonnull(strstr(r, "hostlist is required by "
	                                "fence_hb_unitplug and not set"));
	/* Pacemaker's own parameters are known to every agent. */
	ck_assert_ptr_null(strstr(r, "pcmk_reboot_timeout is not"));
	ck_assert_ptr_nonnull(strstr(r, "will work through fence_hbwrap"));
	free(r);
}
END_TEST

START_TEST(report_names_host_map_change_and_never_a_secret)
{
	char *r = report_of(unitplug_cib, plugin_text);

	ck_assert_ptr_nonnull(strstr(r, "pcmk_host_map changes meaning"));
	ck_assert_ptr_null(strstr(r, "Hunter2secret"));
	free(r);
}
END_TEST

START_TEST(report_hides_a_host_map_example_holding_a_secret)
{
	static const char cib_text[] =
	        "<cib><configuration><resources>"
	        "<primitive id=\"U\" class=\"stonith\" "
	        "type=\"external/unitplug\"><instance_attributes id=\"i\">"
	        "<nvpair id=\"1\" name=\"passwd\" value=\"p0rt\"/>"
	        "<nvpair id=\"2\" name=\"pcmk_host_map\" value=\"n1:p0rt\"/>"
	        "</instance_attributes></primitive></resources>"
	        "</configuration></cib>";
	char *r = report_of(cib_text, plugin_text);

	ck_assert_ptr_nonnull(strstr(r, "pcmk_host_map changes meaning"));
	ck_assert_ptr_null(strstr(r, "p0rt"));
	free(r);
}
END_TEST

START_TEST(report_says_when_the_plugin_is_missing_here)
{
	char *r = report_of(unitplug_cib, NULL);

	ck_assert_ptr_nonnull(strstr(r, "will NOT work through fence_hbwrap"));
	ck_assert_ptr_nonnull(strstr(r, "fence_hbwrap --link unitplug"));
	ck_assert_ptr_nonnull(strstr(r, "params:    not checked"));
	ck_assert_ptr_null(strstr(r, "Hunter2secret"));
	free(r);
}
END_TEST

/* The pids of the processes whose environment holds MARK, at most
 * MAX of them into PIDS; how many. */
static size_t
marked_processes(const char *mark, pid_t *pids, size_t max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	size_t n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL && n < max) {
		char path[300], env[65536];
		ssize_t len = -1;
		int fd;

		if (strspn(e->d_name, "0123456789") != strlen(e->d_name))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/environ", e->d_name);
		if ((fd = open(path, O_RDONLY)) >= 0) {
			len = read(fd, env, sizeof(env));
			close(fd);
		}
		if (len > 0 && memmem(env, (size_t)len, mark, strlen(mark)))
			pids[n++] = (pid_t)atol(e->d_name);
	}
	closedir(d);
	return n;
}

START_TEST(report_leaves_no_process_of_a_timed_out_plugin_behind)
{
	char *plugins = unit_path(unit_dir, "plugins");
	char *cache = unit_path(unit_dir, "cache");
	char *mark = xasprintf("HBWRAP_UNIT_LINGER=%ld", (long)getpid());
	char *once = unit_path(unit_dir, "once");
	/* The first getinfo-devurl (--check's) leaves a marked process in a
	 * session of its own, then hangs until the timeout ends it; the
	 * next (the metadata's) answers, so that no later timeout sweeps
	 * what the first left. */
	char *plugin = xasprintf(
	        "#!/bin/sh\n"
	        "[ \"$1\" = getinfo-devurl ] && mkdir '%s' 2>/dev/null || "
	        "exit 0\n"
	        "%s setsid sleep 3600 </dev/null >/dev/null 2>&1 &\n"
	        "exec sleep 3600\n",
	        once, mark);
	struct request req;
	struct unit_capture c;
	struct cv_cib cib;
	pid_t left[16];
	size_t n;
	void *doc;
	char *r;

	/* As run_init() makes the program, the reaper of the orphans. */
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	ck_assert_int_eq(mkdir(plugins, 0755), 0);
	free(unit_write_file(plugins, "unitplug", plugin, 0755));
	setenv("FENCE_HBWRAP_PLUGIN_DIR", plugins, 1);
	setenv("FENCE_HBWRAP_CACHE_DIR", cache, 1);
	memset(&req, 0, sizeof(req));
	ck_assert_int_eq(request_finish(&req), 0);
	req.plugin_timeout = 1;
	doc = parse_ok(unitplug_cib, &cib);
	unit_capture_start(&c);
	convert_report(stderr, &req, &cib);
	r = unit_capture_end(&c);
	n = marked_processes(mark, left, 16);
	for (size_t i = 0; i < n; i++)
		kill(left[i], SIGKILL);
	ck_assert_msg(n == 0, "%zu process(es) of the plugin left running", n);
	ck_assert_ptr_nonnull(strstr(r, "timed out"));
	free(r);
	free(plugin);
	free(once);
	free(mark);
	free(plugins);
	free(cache);
	convert_cib_free(&cib);
	convert_doc_free(doc);
}
END_TEST

START_TEST(report_says_when_there_is_nothing_to_convert)
{
	char *r = report_of("<cib><configuration><resources><primitive "
	                    "id=\"F\" class=\"stonith\" type=\"null\"/>"
	                    "<primitive id=\"A\" class=\"stonith\" "
	                    "type=\"fence_ipmilan\"/>"
	                    "</resources></configuration></cib>",
	                    NULL);

	ck_assert_ptr_nonnull(strstr(r, "nothing to convert"));
	ck_assert_ptr_nonnull(strstr(r, "F: stonith:null is NOT converted"));
	ck_assert_ptr_nonnull(strstr(r, "A: stonith:fence_ipmilan: a fence "
	                                "agent already, kept"));
	ck_assert_ptr_nonnull(strstr(r, "2 fencing devices: 0 converted, 1 "
	                                "cannot be, 1 fence agent already"));
	free(r);
}
END_TEST

static Suite *
convert_suite(void)
{
	Suite *s = suite_create("convert");
	TCase *tc = tcase_create("rules");

	tcase_add_test(tc, external_plugin_type_becomes_fence_hb_plugin);
	tcase_add_test(
	        tc,
	        compiled_lha_type_is_not_converted_and_names_its_replacement);
	tcase_add_test(
	        tc, compiled_lha_type_without_obvious_replacement_names_none);
	tcase_add_test(tc, fence_agent_type_is_kept_as_it_is);
	tcase_add_test(tc, type_of_neither_kind_is_not_converted);
	tcase_add_test(tc,
	               external_type_with_a_bad_plugin_name_is_not_converted);
	tcase_add_test(tc,
	               only_stonith_resources_of_the_configuration_are_devices);
	tcase_add_test(tc,
	               rewrite_changes_only_the_type_attributes_byte_for_byte);
	tcase_add_test(tc,
	               device_in_a_group_is_converted_but_not_recreated_by_pcs);
	tcase_add_test(tc, stonith_template_is_converted_too);
	tcase_add_test(tc, parameters_meta_attributes_ops_and_levels_are_read);
	suite_add_tcase(s, tc);

	tc = tcase_create("lexical");
	tcase_add_test(tc, comment_opening_with_a_dash_is_read_to_its_real_end);
	tcase_add_test(tc, cdata_section_holding_markup_is_skipped);
	tcase_add_test(tc, processing_instruction_holding_markup_is_skipped);
	tcase_add_test(tc, gt_quotes_and_markup_inside_values_are_skipped);
	tcase_add_test(tc, character_references_in_the_type_are_replaced_whole);
	tcase_add_test(tc,
	               blanks_around_equals_and_between_attributes_are_kept);
	tcase_add_test(tc, single_and_double_quotes_are_each_kept);
	tcase_add_test(tc, namespaced_attributes_are_told_apart);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad_input");
	tcase_add_checked_fixture(tc, unit_dir_make, unit_dir_remove);
	tcase_add_test(tc, input_that_is_not_xml_is_refused);
	tcase_add_test(tc, xml_that_is_not_a_cib_is_refused);
	tcase_add_test(tc, dtd_and_entities_are_refused);
	tcase_add_test(tc, nul_byte_is_refused);
	tcase_add_test(tc, nesting_deeper_than_the_bound_is_refused);
	tcase_add_test(tc, file_over_the_size_bound_is_refused);
	tcase_add_test(tc, unreadable_or_empty_file_is_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("pcs");
	tcase_add_test(tc, shell_quote_leaves_safe_words_and_quotes_the_rest);
	tcase_add_test(tc, pcs_commands_recreate_devices_and_levels);
	tcase_add_test(tc, pcs_commands_take_secrets_from_a_required_variable);
	tcase_add_test(tc,
	               pcs_refuses_an_nvpair_name_pcs_would_read_as_an_option);
	tcase_add_test(tc,
	               pcs_refuses_a_level_target_pcs_would_read_as_an_option);
	tcase_add_test(tc, pcs_refuses_words_that_are_no_valid_cib_id_or_name);
	tcase_add_test(tc, pcs_commands_end_pcs_options_before_the_cib_words);
	tcase_add_test(tc,
	               secret_variables_are_distinct_when_ids_fold_together);
	tcase_add_test(tc,
	               hundred_thousand_nvpairs_in_one_device_convert_whole);
	suite_add_tcase(s, tc);

	tc = tcase_create("report");
	tcase_add_unchecked_fixture(tc, unit_root_setup, unit_root_teardown);
	tcase_add_checked_fixture(tc, unit_dir_make, unit_dir_remove);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc,
	               report_names_unknown_and_missing_required_parameters);
	tcase_add_test(tc, report_names_host_map_change_and_never_a_secret);
	tcase_add_test(tc, report_hides_a_host_map_example_holding_a_secret);
	tcase_add_test(tc, report_says_when_the_plugin_is_missing_here);
	tcase_add_test(tc, report_says_when_there_is_nothing_to_convert);
	tcase_add_test(tc,
	               report_leaves_no_process_of_a_timed_out_plugin_behind);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(convert_suite(), CK_FORK);
}
