# fence-heartbeat-wrap: an RHCS fence agent that runs Heartbeat plugins.
#
#   make                 build ./fence_hbwrap
#   make check           every test (unit, integration, real Pacemaker/pcs)
#   make install         into $(DESTDIR)$(SBINDIR) etc. (GNU conventions)
#   make dist            fence-heartbeat-wrap-$(VERSION).tar.gz

VERSION    := 0.1.0
NAME       := fence-heartbeat-wrap

PREFIX     ?= /usr
EXEC_PREFIX ?= $(PREFIX)
SBINDIR    ?= $(EXEC_PREFIX)/sbin
LIBEXECDIR ?= $(EXEC_PREFIX)/libexec
DATADIR    ?= $(PREFIX)/share
MANDIR     ?= $(DATADIR)/man
DOCDIR     ?= $(DATADIR)/doc/$(NAME)
HELPERDIR  ?= $(LIBEXECDIR)/$(NAME)
PLUGINDIR  ?= /usr/lib/stonith/plugins/external
CACHEDIR   ?= /run/$(NAME)
# The only directory a debug_file given on stdin (by the cluster) may be in.
LOGDIR     ?= /var/log/cluster

CC         ?= cc
PKG_CONFIG ?= pkg-config
XML_CFLAGS := $(shell $(PKG_CONFIG) --cflags libxml-2.0)
XML_LIBS   := $(shell $(PKG_CONFIG) --libs libxml-2.0)
# The SONAME of the libxml2 pkg-config links (libxml2.so.2 up to 2.13,
# libxml2.so.16 from 2.14): src/xml.c dlopen()s that name. Read once, from
# the NEEDED entry of a probe linked the way the unit tests link libxml2.
XML_SONAME = $(eval XML_SONAME := $(shell tmp=$$(mktemp -d) && \
		printf 'char xmlCheckVersion(void);\nint main(void){return xmlCheckVersion();}\n' \
		>$$tmp/p.c && $(CC) -o $$tmp/p $$tmp/p.c -Wl,--no-as-needed $(XML_LIBS) \
		2>/dev/null && $(READELF) -d $$tmp/p | \
		sed -n 's/.*(NEEDED).*\[\(libxml2\.so[^]]*\)\].*/\1/p'; rm -rf $$tmp))$(XML_SONAME)
READELF    ?= readelf
CHECK_CFLAGS = $(shell $(PKG_CONFIG) --cflags check)
CHECK_LIBS   = $(shell $(PKG_CONFIG) --libs check)

WARN       := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
              -Wmissing-prototypes -Wpointer-arith -Wwrite-strings \
              -Wvla
# Hardened by default, the way RHEL builds C (redhat-rpm-config): stack
# protector, FORTIFY_SOURCE=3 (2 where the compiler or glibc lacks 3),
# stack-clash and control-flow protection where the compiler has them, a
# PIE with full RELRO. CFLAGS / LDFLAGS given to make (or by rpm's
# %set_build_flags) replace these defaults. Each probe runs once.
cc_option = $(shell $(CC) -Werror $(1) -x c -c -o /dev/null /dev/null \
		2>/dev/null && echo $(1))
FORTIFY_PROBE := printf '\043include <stdio.h>\n\043if !__has_builtin(__builtin_dynamic_object_size) || !__GLIBC_PREREQ(2, 34)\n\043error no level 3\n\043endif\n' | \
		$(CC) -O2 -E -x c -o /dev/null - 2>/dev/null
HARDEN_CFLAGS = $(eval HARDEN_CFLAGS := -fstack-protector-strong \
		-D_FORTIFY_SOURCE=$(shell $(FORTIFY_PROBE) && echo 3 || echo 2) \
		$(call cc_option,-fstack-clash-protection) \
		$(call cc_option,-fcf-protection) -fPIE)$(HARDEN_CFLAGS)
HARDEN_LDFLAGS := -pie -Wl,-z,relro -Wl,-z,now
CFLAGS     ?= -O2 -g $(HARDEN_CFLAGS)
LDFLAGS    ?= $(HARDEN_LDFLAGS)
ALL_CFLAGS := -std=c11 $(WARN) $(CFLAGS) $(XML_CFLAGS) \
              -DVERSION='"$(VERSION)"' -DPLUGIN_DIR='"$(PLUGINDIR)"' \
              -DHELPER_DIR='"$(HELPERDIR)"' -DCACHE_DIR='"$(CACHEDIR)"' \
              -DLOG_DIR='"$(LOGDIR)"' -DXML_SONAME='"$(XML_SONAME)"'
ALL_LDFLAGS := $(LDFLAGS) -Wl,-O1 -Wl,--as-needed

SRCS := src/actions.c src/admin.c src/check.c src/convert.c src/convert_pcs.c \
        src/convert_report.c src/convert_splice.c src/declared.c src/env.c \
        src/halog.c src/log.c src/manpage.c src/metacache.c src/metadata.c \
        src/metaread.c src/metawrite.c src/options.c src/plugin.c src/run.c \
        src/xalloc.c src/xml.c
OBJS := $(SRCS:.c=.o)
HDRS := $(wildcard src/*.h)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:.c=)

all: fence_hbwrap build/helpers/ha_log.sh

# libxml2 is not linked: src/xml.c loads it when XML is first needed.
fence_hbwrap: src/main.o src/libhbwrap.a
	$(CC) $(ALL_CFLAGS) -o $@ src/main.o src/libhbwrap.a $(ALL_LDFLAGS) -ldl

src/libhbwrap.a: $(OBJS)
	$(AR) rcs $@ $(OBJS)

src/%.o: src/%.c $(HDRS) Makefile
	@test -n "$(XML_SONAME)" || { echo "cannot find libxml2's soname (is libxml2-dev installed? is $(READELF) there?)" >&2; exit 1; }
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The in-tree ha_log.sh, for tests run before installation.
build/helpers/ha_log.sh: fence_hbwrap
	mkdir -p build/helpers
	ln -sf ../../fence_hbwrap $@

tests/unit/test_%: tests/unit/test_%.c tests/unit/unit.h src/libhbwrap.a
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -Isrc -o $@ $< src/libhbwrap.a \
		$(XML_LIBS) $(CHECK_LIBS)

unit: $(UNIT_BINS)

check: all $(UNIT_BINS)
	./tests/run.sh

# GNU conventions: DESTDIR, PREFIX and the *DIR variables above, and
# INSTALL_PROGRAM / INSTALL_DATA (rpm's %make_install sets INSTALL).
INSTALL         ?= install
INSTALL_PROGRAM ?= $(INSTALL)
INSTALL_DATA    ?= $(INSTALL) -m 0644

install: all
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(HELPERDIR) \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(DOCDIR)/examples
	$(INSTALL_PROGRAM) -m 0755 fence_hbwrap $(DESTDIR)$(SBINDIR)/fence_hbwrap
	ln -sf "$$(realpath -m --relative-to=$(HELPERDIR) $(SBINDIR))/fence_hbwrap" \
		$(DESTDIR)$(HELPERDIR)/ha_log.sh
	$(INSTALL_DATA) man/fence_hbwrap.8 $(DESTDIR)$(MANDIR)/man8/fence_hbwrap.8
	$(INSTALL_DATA) README $(DESTDIR)$(DOCDIR)/README
	$(INSTALL_PROGRAM) -m 0755 examples/myplugin $(DESTDIR)$(DOCDIR)/examples/myplugin
	$(INSTALL_DATA) examples/WALKTHROUGH.md $(DESTDIR)$(DOCDIR)/examples/WALKTHROUGH.md

# Also removes the fence_hb_* links that fence_hbwrap --link made next to
# it: without the program they would be fence agents that cannot run.
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/fence_hbwrap $(DESTDIR)$(HELPERDIR)/ha_log.sh \
		$(DESTDIR)$(MANDIR)/man8/fence_hbwrap.8 \
		$(DESTDIR)$(DOCDIR)/README $(DESTDIR)$(DOCDIR)/examples/myplugin \
		$(DESTDIR)$(DOCDIR)/examples/WALKTHROUGH.md
	-find $(DESTDIR)$(SBINDIR) -maxdepth 1 -name 'fence_hb_*' \
		-lname fence_hbwrap -delete
	-rmdir $(DESTDIR)$(HELPERDIR) $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR)

DIST_FILES := Makefile README LICENSE fence_heartbeat_wrap.spec .clang-format \
              src man tests examples bench docs .ci

# The files git tracks (their working-tree content), so a file not yet
# added is missing from the tarball: checked for the ones the spec needs.
dist:
	rm -rf build/dist && mkdir -p build/dist/$(NAME)-$(VERSION)
	git ls-files -z $(DIST_FILES) | xargs -0 cp --parents -t build/dist/$(NAME)-$(VERSION)
	@for f in Makefile README LICENSE fence_heartbeat_wrap.spec \
		man/fence_hbwrap.8 examples/myplugin examples/WALKTHROUGH.md; do \
		test -f build/dist/$(NAME)-$(VERSION)/$$f || { \
		echo "make dist: $$f is not tracked by git" >&2; exit 1; }; done
	tar -C build/dist -czf $(NAME)-$(VERSION).tar.gz $(NAME)-$(VERSION)

# Binary RPM from the dist tarball (its spec is inside), e.g.
# make rpm RPMBUILDFLAGS="--nodeps --define '_topdir /tmp/rpmbuild'"
rpm: dist
	rpmbuild $(RPMBUILDFLAGS) -tb $(NAME)-$(VERSION).tar.gz
.PHONY: rpm

# The soname src/xml.c loads, for the suites that compile src/*.c with
# flags of their own (sanitizers, fuzz).
xml-soname:
	@echo $(XML_SONAME)
.PHONY: xml-soname

format:
	clang-format -i src/*.c src/*.h $(wildcard tests/unit/*.[ch] tests/fuzz/*.c)

# Clean under clang too, and formatted as .clang-format says.
lint:
	clang $(ALL_CFLAGS) -fsyntax-only src/*.c
	clang-format --dry-run --Werror src/*.c src/*.h $(wildcard tests/unit/*.[ch] tests/fuzz/*.c)
	@echo "lint: 2 passed, 0 failed"

demo: all
	./examples/demo.sh

clean:
	rm -rf fence_hbwrap src/*.o src/libhbwrap.a $(UNIT_BINS) build \
		$(NAME)-*.tar.gz

.PHONY: all unit check install uninstall dist format lint demo clean

# Time the shim against the other roads (issue 6): as root, after
# make install PREFIX=/usr; writes docs/benchmarks.md.
bench: all
	./bench/run.sh
.PHONY: bench

# libFuzzer targets of tests/fuzz (clang). make check replays every
# committed input and fuzzes a fixed number of runs with a fixed seed, so
# it gives the same answer every time; make fuzz explores: a random seed,
# FUZZ_SECONDS each, a corpus kept in build/fuzz. Add what it finds to
# tests/fuzz/regressions/<target>/ once fixed.
FUZZ_SECONDS ?= 300

fuzz:
	FUZZ_MODE=explore FUZZ_SECONDS=$(FUZZ_SECONDS) ./tests/fuzz/run.sh

.PHONY: fuzz
