# SPDX-License-Identifier: MIT
# sapan: `make` installs missing build dependencies (as root), builds the
# generator and builds the default site into site/. `make check` runs every test.

CC ?= cc
# `make PORTABLE=1` (and `make PORTABLE=1 check`) builds without any of
# Linux's own calls, with only the POSIX fallbacks of generator/platform.h
# and -D_POSIX_C_SOURCE=200809L alone, into build-portable/: the build
# other systems get, tested here.
UNAME_S := $(shell uname -s)
ifeq ($(PORTABLE),1)
BUILD_ROOT := build-portable
FEATURES := -D_POSIX_C_SOURCE=200809L -DSAPAN_PORTABLE
else
BUILD_ROOT := build
ifeq ($(UNAME_S),Darwin)
# macOS hides flock and the like under _POSIX_C_SOURCE unless asked, and
# names struct stat's times st_mtimespec.
FEATURES := -D_POSIX_C_SOURCE=200809L -D_DARWIN_C_SOURCE -Dst_mtim=st_mtimespec \
	-Dst_ctim=st_ctimespec
else ifeq ($(UNAME_S),Linux)
FEATURES := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
else
# The BSDs hide their own calls (flock) whenever _POSIX_C_SOURCE is set.
FEATURES :=
endif
endif
BUILD ?= $(BUILD_ROOT)
# `make V=1` shows the full compiler command lines.
Q := $(if $(V),,@)
PKGS := libcmark yaml-0.1 libxml-2.0 libthai icu-uc icu-i18n libmicrohttpd libqrencode libzip \
	libtcmalloc_minimal
# What each system calls them (tools/deps.sh installs or names them), and
# the programs the tests run.
DEBIAN_PACKAGES := build-essential pkg-config libcmark-dev libyaml-dev libxml2-dev \
	libthai-dev libunistring-dev libicu-dev libmicrohttpd-dev libqrencode-dev libzip-dev \
	libstemmer-dev libgoogle-perftools-dev groff-base curl zbar-tools unzip
BREW_PACKAGES := pkgconf cmark libyaml libxml2 libthai libunistring icu4c libmicrohttpd \
	qrencode libzip snowball gperftools groff zbar
FREEBSD_PACKAGES := gmake bash pkgconf cmark libyaml libxml2 libthai libunistring icu \
	libmicrohttpd libqrencode libzip libstemmer google-perftools groff curl zbar
DEP_COMMANDS := groff curl zbarimg unzip
# Homebrew keeps ICU and libxml2 out of pkg-config's way ("keg-only").
BREW_PKG_CONFIG_PATH := $(shell $(SHELL) tools/deps.sh pkg-config-path)
ifneq ($(BREW_PKG_CONFIG_PATH),)
export PKG_CONFIG_PATH := $(BREW_PKG_CONFIG_PATH)$(if $(PKG_CONFIG_PATH),:$(PKG_CONFIG_PATH))
endif

WARNINGS := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wwrite-strings -Wformat=2 -Werror
CFLAGS ?= -O2 -g
# libunistring and libstemmer have no pkg-config file: outside Debian they
# sit in Homebrew's or the ports' prefix.
EXTRA_PREFIX := $(if $(filter Darwin,$(UNAME_S)),$(shell brew --prefix 2>/dev/null),$(if \
	$(filter FreeBSD OpenBSD NetBSD DragonFly,$(UNAME_S)),/usr/local))
ALL_CFLAGS = $(WARNINGS) $(FEATURES) $(CFLAGS) $(SAN) \
	-pthread -Igenerator $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
	$(if $(EXTRA_PREFIX),-I$(EXTRA_PREFIX)/include)
# tcmalloc (gperftools' malloc) in place of the C library's: a cold build
# makes millions of small allocations (libcmark's nodes, libyaml's events,
# each page's view), and spends a fifth less CPU with it. Not with the
# sanitizers, which bring their own malloc.
NOT_LINKED := $(if $(SAN),libtcmalloc_minimal)
LDLIBS = $(shell pkg-config --libs $(filter-out $(NOT_LINKED),$(PKGS)) 2>/dev/null) \
	$(if $(EXTRA_PREFIX),-L$(EXTRA_PREFIX)/lib) -lunistring -lstemmer -pthread

SRC := $(filter-out generator/main.c,$(wildcard generator/*.c))
OBJ := $(SRC:generator/%.c=$(BUILD)/obj/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# Helpers the tests share (tests/*.c), linked into every test program.
TEST_HELPERS := tests/yaml_value.c tests/site_fixture.c
FUZZ_HARNESSES := frontmatter tmpl page rawhtml
FUZZ_COMMON := tests/fuzz/fuzz_common.c tests/yaml_value.c
REPLAY_BIN := $(FUZZ_HARNESSES:%=$(BUILD)/tests/replay_%)
SAPAN := $(BUILD)/sapan

.PHONY: all deps sapan site check check-asan check-tsan test-programs fuzz check-web bench lint \
	clean install uninstall FORCE
.DEFAULT_GOAL := all

all: deps
	@$(MAKE) --no-print-directory sapan
	@$(MAKE) --no-print-directory site

# Installs what is missing when we can (root with apt-get); otherwise says
# exactly what to run on this system (tools/deps.sh).
deps:
	@CC='$(CC)' PKGS='$(PKGS)' COMMANDS='$(DEP_COMMANDS)' \
		DEBIAN_PACKAGES='$(DEBIAN_PACKAGES)' BREW_PACKAGES='$(BREW_PACKAGES)' \
		FREEBSD_PACKAGES='$(FREEBSD_PACKAGES)' $(SHELL) tools/deps.sh

sapan: $(SAPAN)

$(SAPAN): $(BUILD)/obj/main.o $(OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/%.o: generator/%.c $(wildcard generator/*.h) | $(BUILD)/obj
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The build cache must not outlive a change to the code that renders: a sum
# of every source file is part of its key (SAPAN_SOURCE_ID in build.c).
SOURCE_ID := $(shell cat generator/*.c generator/*.h | cksum | cut -d' ' -f1)
$(BUILD)/obj/build.o: ALL_CFLAGS += -DSAPAN_SOURCE_ID='"$(SOURCE_ID)"'
$(BUILD)/obj/build.o: $(SRC) generator/main.c

$(BUILD)/obj $(BUILD)/tests:
	mkdir -p $@

site: $(SAPAN)
	$(SAPAN) build

$(BUILD)/tests/test_%: tests/unit/test_%.c tests/test.c tests/test.h $(TEST_HELPERS) \
		$(wildcard tests/*.h) $(OBJ) | $(BUILD)/tests
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -Itests -o $@ $< tests/test.c $(TEST_HELPERS) $(OBJ) $(LDLIBS)

# A fuzz harness without libFuzzer: replays the committed corpus and crash
# reproducers (tests/fuzz/) as tests, with the normal compiler.
$(BUILD)/tests/replay_%: tests/fuzz/replay.c tests/fuzz/fuzz_%.c $(FUZZ_COMMON) \
		$(wildcard tests/fuzz/*.h tests/*.h) $(OBJ) | $(BUILD)/tests
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -Itests -o $@ tests/fuzz/replay.c tests/fuzz/fuzz_$*.c \
		$(FUZZ_COMMON) $(OBJ) $(LDLIBS)

# The libFuzzer build of a harness (only with CC=clang; see `make fuzz`).
$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_COMMON) $(wildcard tests/fuzz/*.h tests/*.h) $(OBJ)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -Itests -o $@ $< $(FUZZ_COMMON) $(OBJ) $(LDLIBS)

check: deps
	@$(MAKE) --no-print-directory $(SAPAN) $(UNIT_BIN) $(REPLAY_BIN)
	@SAPAN_VARIANT=$(if $(filter 1,$(PORTABLE)),portable,native) tests/run-all $(BUILD)

# The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer
# (LeakSanitizer comes with ASan on Linux).
check-asan: deps
	@$(MAKE) --no-print-directory check BUILD=$(BUILD_ROOT)/asan CFLAGS="-O1 -g" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"

# The whole suite again under ThreadSanitizer, for the render threads
# (it cannot be combined with AddressSanitizer). TSan needs a fixed memory
# layout: on kernels with many bits of mmap randomisation it fails to start
# ("unexpected memory mapping"), so the suite runs under setarch -R. It runs
# 5 to 15 times slower, so the tests' time limits are stretched 10 times.
TSAN_RUN := $(shell setarch $$(uname -m) -R true 2>/dev/null && echo "setarch $$(uname -m) -R")
check-tsan: deps
	@$(MAKE) --no-print-directory test-programs BUILD=$(BUILD_ROOT)/tsan CFLAGS="-O1 -g" \
		SAN="-fsanitize=thread -fno-omit-frame-pointer"
	@TSAN_OPTIONS="halt_on_error=1 exitcode=66 $(TSAN_OPTIONS)" SAPAN_TEST_TIME_SCALE=10 \
		$(TSAN_RUN) tests/run-all $(BUILD_ROOT)/tsan

# What tests/run-all runs, for the BUILD folder given.
test-programs: $(SAPAN) $(UNIT_BIN) $(REPLAY_BIN)

# Fuzzing with libFuzzer: each harness in tests/fuzz/ is built with clang
# under AddressSanitizer and UndefinedBehaviorSanitizer and run for
# FUZZ_SECONDS from a copy of its corpus in $(FUZZ_BUILD)/run/. A crash, leak
# or timeout fails, and its reproducer stays in $(FUZZ_BUILD)/run/<harness>/.
# Not part of `make check`, which replays the committed inputs instead.
FUZZ_SECONDS ?= 60
FUZZ_BUILD ?= $(BUILD_ROOT)/fuzz
FUZZ_SAN := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
fuzz: deps
	@command -v clang >/dev/null || { echo "make fuzz needs clang. Run:"; \
		echo "  sudo apt-get install clang libclang-rt-dev"; exit 1; }
	@$(MAKE) --no-print-directory $(FUZZ_HARNESSES:%=$(FUZZ_BUILD)/fuzz_%) \
		BUILD=$(FUZZ_BUILD) CC=clang CFLAGS="-O1 -g" SAN="$(FUZZ_SAN)"
	@tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_HARNESSES)

# The default theme in a real browser (Chromium): Nu HTML Checker, axe-core,
# Lighthouse, page weight, overflow at 320 px, screenshots in build/screenshots/;
# the search test (tests/web/search.mjs: the query table on the default site and
# on a 1,000-page corpus, beside Pagefind, tables in build/search-compare.md);
# then publishing (tests/web/nginx.sh): rsync, and nginx with docs/nginx/sapan.conf.
# Installs chromium, fonts-noto-core, Java, python3, nginx-light, rsync, curl and
# the pinned npm packages itself.
check-web: deps
	@$(MAKE) --no-print-directory $(SAPAN)
	@tests/web/check-web.sh $(BUILD)

# The benchmark (not part of `make check`): generates BENCH_PAGES pages per
# language of English and Thai under $(BENCH_DIR), times a cold build, a
# rebuild with no change, one body edit and one title edit, with one thread
# and with all, and prints a table (median of BENCH_RUNS runs). Needs only
# python3, which it installs as root when missing.
BENCH_PAGES ?= 3000
BENCH_RUNS ?= 1
BENCH_DIR ?= $(BUILD)/bench
bench: deps
	@command -v python3 >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq python3 >/dev/null || exit 1; \
		else echo "make bench needs python3. Run:"; \
			echo "  sudo apt-get install python3"; exit 1; fi; }
	@$(MAKE) --no-print-directory $(SAPAN)
	@python3 tests/bench/run.py $(SAPAN) templates $(BENCH_PAGES) $(BENCH_DIR) $(BENCH_RUNS)

# `make install PREFIX=/usr/local DESTDIR=`: the program, its manual page and
# the default theme, which an installed sapan uses when the site has no
# templates/ folder. The theme's folder is compiled into the installed
# program (main.c, SAPAN_DATADIR) from PREFIX, not DESTDIR: a staged install
# (DESTDIR=/tmp/stage) makes a program that looks in PREFIX, where the
# package will put it. main.c is compiled again on every install, since
# PREFIX may differ from the last one; build/sapan has no theme compiled in.
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
MAN1DIR = $(PREFIX)/share/man/man1
DATADIR = $(PREFIX)/share/sapan
THEME_FILES = $(shell find templates -type f | LC_ALL=C sort)
THEME_DIRS = $(shell find templates -type d | LC_ALL=C sort -r)
install: deps
	@$(MAKE) --no-print-directory $(BUILD)/install/sapan
	install -d '$(DESTDIR)$(BINDIR)' '$(DESTDIR)$(MAN1DIR)' '$(DESTDIR)$(DATADIR)'
	install -m 755 $(BUILD)/install/sapan '$(DESTDIR)$(BINDIR)/sapan'
	install -m 644 docs/sapan.1 '$(DESTDIR)$(MAN1DIR)/sapan.1'
	@for d in $(THEME_DIRS); do install -d "$(DESTDIR)$(DATADIR)/$$d" || exit 1; done
	@for f in $(THEME_FILES); do install -m 644 "$$f" "$(DESTDIR)$(DATADIR)/$$f" || exit 1; done
	@echo "Installed $(DESTDIR)$(BINDIR)/sapan, $(DESTDIR)$(MAN1DIR)/sapan.1 and the theme in $(DESTDIR)$(DATADIR)/templates"

$(BUILD)/install/sapan: FORCE $(OBJ)
	@mkdir -p $(BUILD)/install
	@echo "  CC      generator/main.c (SAPAN_DATADIR=$(DATADIR))"
	$(Q)$(CC) $(ALL_CFLAGS) -DSAPAN_DATADIR='"$(DATADIR)"' -c -o $(BUILD)/install/main.o \
		generator/main.c
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $(BUILD)/install/main.o $(OBJ) $(LDLIBS)
FORCE:

# Removes exactly what install put there: the theme's files one by one, then
# its folders if that leaves them empty (a file of your own stays).
uninstall:
	rm -f '$(DESTDIR)$(BINDIR)/sapan' '$(DESTDIR)$(MAN1DIR)/sapan.1'
	@for f in $(THEME_FILES); do rm -f "$(DESTDIR)$(DATADIR)/$$f"; done
	@for d in $(THEME_DIRS); do \
		if [ -d "$(DESTDIR)$(DATADIR)/$$d" ]; then rmdir --ignore-fail-on-non-empty "$(DESTDIR)$(DATADIR)/$$d"; fi; \
	done
	@if [ -d '$(DESTDIR)$(DATADIR)' ]; then rmdir --ignore-fail-on-non-empty '$(DESTDIR)$(DATADIR)'; fi

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
		--std=c11 -Igenerator -Itests generator tests/unit tests/fuzz $(TEST_HELPERS)

clean:
	rm -rf build build-portable site
