/*
 * test_run.c - running plugin calls: argv, environment, output, exit,
 * timeouts, bounds, concurrency (src/run.c). The plugins are small
 * /bin/sh scripts written into a private directory per test.
 */
#define _GNU_SOURCE
#include "unit.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include "run.h"

/* A plugin script with BODY after the #! line; returns its path. */
static char *
plugin(const char *name, const char *body)
{
	size_t n = strlen(body) + sizeof("#!/bin/sh\n");
	char *text = malloc(n), *p;

	ck_assert_ptr_nonnull(text);
	snprintf(text, n, "#!/bin/sh\n%s", body);
	p = unit_write_file(unit_dir, name, text, 0755);
	free(text);
	return p;
}

static char *const no_env[] = {NULL};

/* Run one call OP TARGET of PATH; the batch must start. */
static void
run_one(const char *path, char *const envp[], struct run_call *c,
        const char *op, const char *target, long timeout)
{
	memset(c, 0, sizeof(*c));
	c->op = op;
	c->target = target;
	ck_assert_int_eq(run_calls(path, envp, c, 1, timeout), 0);
}

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Non-zero once process PID is gone or a zombie. */
static int
is_dead(pid_t pid)
{
	char path[64], buf[512], *close_paren;
	FILE *fp;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	fp = fopen(path, "r");
	if (fp == NULL)
		return 1;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	close_paren = strrchr(buf, ')');
	return close_paren == NULL || close_paren[2] == 'Z' ||
	       close_paren[2] == 'X';
}

/* Wait until PID is dead, at most SECONDS; non-zero if it died. */
static int
wait_dead(pid_t pid, double seconds)
{
	double until = mono() + seconds;
	struct timespec tick = {0, 20 * 1000 * 1000};

	while (!is_dead(pid)) {
		if (mono() > until)
			return 0;
		nanosleep(&tick, NULL);
	}
	return 1;
}

/* The pid a plugin wrote into DIR/NAME, waiting at most SECONDS for the
 * file to appear (it is renamed into place whole). */
static pid_t
read_pid(const char *name, double seconds)
{
	char *p = unit_path(unit_dir, name);
	double until = mono() + seconds;
	struct timespec tick = {0, 20 * 1000 * 1000};
	long pid = 0;
	FILE *fp;

	while ((fp = fopen(p, "r")) == NULL) {
		ck_assert_msg(mono() < until, "%s never appeared", p);
		nanosleep(&tick, NULL);
	}
	ck_assert_int_eq(fscanf(fp, "%ld", &pid), 1);
	fclose(fp);
	free(p);
	ck_assert_int_gt(pid, 1);
	return (pid_t)pid;
}

/* ---- exit, output, argv, environment ---------------------------------- */

START_TEST(exit_code_is_captured)
{
	char *p = plugin("p", "exit 3\n");
	struct run_call c;

	run_one(p, no_env, &c, "status", NULL, 10);
	ck_assert_int_eq(c.end, RUN_EXITED);
	ck_assert_int_eq(c.status, 3);
	ck_assert_int_eq(run_call_ok(&c), 0);
	run_call_free(&c);
	free(p);
	p = plugin("q", "exit 0\n");
	run_one(p, no_env, &c, "status", NULL, 10);
	ck_assert_int_eq(run_call_ok(&c), 1);
	run_call_free(&c);
	free(p);
}
END_TEST

START_TEST(stdout_and_stderr_are_captured_separately)
{
	char *p = plugin("p", "echo out; echo err >&2; printf 'a\\000b'\n");
	struct run_call c;

	run_one(p, no_env, &c, "gethosts", NULL, 10);
	ck_assert_int_eq(c.end, RUN_EXITED);
	ck_assert_uint_eq(c.out.len, 7);
	ck_assert_mem_eq(c.out.data, "out\na\0b", 7);
	ck_assert_int_eq(c.out.data[7], '\0');
	ck_assert_str_eq(c.err.data, "err\n");
	ck_assert_uint_eq(c.err.len, 4);
	run_call_free(&c);
	free(p);
}
END_TEST

START_TEST(silent_plugin_gives_empty_output)
{
	char *p = plugin("p", "exit 0\n");
	struct run_call c;

	run_one(p, no_env, &c, "on", "n1", 10);
	ck_assert_uint_eq(c.out.len, 0);
	ck_assert_uint_eq(c.err.len, 0);
	run_call_free(&c);
	free(p);
}
END_TEST

START_TEST(operation_and_target_are_passed_literally)
{
	static const char target[] = "node 1; $(touch pwned) `id` * \"q\" 'x'";
	char *p = plugin("p", "printf '%s\\n' \"$#\" \"$0\"\n"
	                      "for a; do printf '[%s]\\n' \"$a\"; done\n"),
	     *expect, *pwned = unit_path(unit_dir, "pwned");
	struct run_call c;
	size_t n;

	run_one(p, no_env, &c, "reset", target, 10);
	ck_assert_int_eq(c.end, RUN_EXITED);
	n = strlen(p) + sizeof(target) + 32;
	expect = malloc(n);
	ck_assert_ptr_nonnull(expect);
	snprintf(expect, n, "2\n%s\n[reset]\n[%s]\n", p, target);
	ck_assert_str_eq(c.out.data, expect);
	ck_assert_int_ne(access(pwned, F_OK), 0);
	ck_assert_int_ne(access("pwned", F_OK), 0);
	run_call_free(&c);

	/* Without a target: only the operation. */
	run_one(p, no_env, &c, "gethosts", NULL, 10);
	snprintf(expect, n, "1\n%s\n[gethosts]\n", p);
	ck_assert_str_eq(c.out.data, expect);
	run_call_free(&c);
	free(expect);
	free(pwned);
	free(p);
}
END_TEST

START_TEST(environment_is_exactly_envp_and_the_runs_mark)
{
	static const char want[] = "PATH=/x\0hostlist=n1 n2\0EMPTY=\0";
	char *const envp[] = {(char *)"PATH=/x", (char *)"hostlist=n1 n2",
	                      (char *)"EMPTY=", NULL};
	struct run_call c;
	char *mark;

	/* env(1) itself as the plugin: no shell adds anything. */
	run_one("/usr/bin/env", envp, &c, "-0", NULL, 10);
	ck_assert_int_eq(c.end, RUN_EXITED);
	ck_assert_int_eq(c.status, 0);
	/* First the mark by which the guardian finds descendants (no
	 * parameter can push it beyond what a reader of environ sees),
	 * then exactly ENVP. */
	mark = c.out.data;
	ck_assert_int_eq(strncmp(mark, "FENCE_HBWRAP_RUN=", 17), 0);
	ck_assert_uint_eq(c.out.len, strlen(mark) + 1 + sizeof(want) - 1);
	ck_assert_mem_eq(c.out.data + strlen(mark) + 1, want, sizeof(want) - 1);
	run_call_free(&c);
	run_one("/usr/bin/env", no_env, &c, "-0", NULL, 10);
	ck_assert_int_eq(strncmp(c.out.data, "FENCE_HBWRAP_RUN=", 17), 0);
	run_call_free(&c);
}
END_TEST

START_TEST(stdin_is_empty)
{
	char *p = plugin("p", "exec /bin/cat\n");
	struct run_call c;

	run_one(p, no_env, &c, "status", NULL, 10);
	ck_assert_int_eq(c.end, RUN_EXITED);
	ck_assert_int_eq(c.status, 0);
	ck_assert_uint_eq(c.out.len, 0);
	run_call_free(&c);
	free(p);
}
END_TEST

START_TEST(plugin_runs_in_its_own_process_group)
{
	char *p = plugin("p", "read -r pid comm state ppid pgid rest "
	                      "< /proc/$$/stat\necho \"$pid $pgid\"\n"),
	     expect[64];
	struct run_call c;

	run_one(p, no_env, &c, "status", NULL, 10);
	snprintf(expect, sizeof(expect), "%ld %ld\n", (long)c.pid, (long)c.pid);
	ck_assert_str_eq(c.out.data, expect);
	ck_assert_int_ne(c.pid, getpgrp());
	run_call_free(&c);
	free(p);
}
END_TEST

START_TEST(descriptors_of_the_shim_are_not_inherited)
{
	int fd = open("/dev/null", O_RDONLY); /* no O_CLOEXEC, on purpose */
	struct run_call c;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup2(fd, 57), 57);
	close(fd);
	/* test(1) as the plugin: "test -e /proc/self/fd/N". */
	run_one("/usr/bin/test", no_env, &c, "-e", "/proc/self/fd/1", 10);
	ck_assert_int_eq(c.status, 0); /* the check itself works */
	run_call_free(&c);
	run_one("/usr/bin/test", no_env, &c, "-e", "/proc/self/fd/57", 10);
	ck_assert_int_eq(c.end, RUN_EXITED);
	ck_assert_msg(c.status == 1, "descriptor 57 reached the plugin");
	run_call_free(&c);
	close(57);
}
END_TEST

/* ---- abnormal ends ---------------------------------------------------- */

START_TEST(timeout_ends_the_call_within_its_bound)
{
	char *p = plugin("p", "exec /bin/sleep 30\n");
	struct run_call c;
	double t0 = mono(), took;

	run_one(p, no_env, &c, "reset", "n1", 1);
	took = mono() - t0;
	ck_assert_int_eq(c.end, RUN_TIMED_OUT);
	ck_assert_int_eq(run_call_ok(&c), 0);
	ck_assert_double_ge(c.seconds, 1.0);
	/* sleep obeys SIGTERM: no need to wait for the grace period. */
	ck_assert_msg(took < 1.0 + RUN_KILL_GRACE, "took %.2f s", took);
	run_call_free(&c);
	free(p);
}
END_TEST

START_TEST(plugin_ignoring_sigterm_is_killed_after_the_grace)
{
	char *p = plugin("p", "trap '' TERM\n/bin/sleep 30\n");
	struct run_call c;
	double t0 = mono(), took;

	run_one(p, no_env, &c, "reset", "n1", 1);
	took = mono() - t0;
	ck_assert_int_eq(c.end, RUN_TIMED_OUT);
	ck_assert_msg(took >= 1.0 + RUN_KILL_GRACE - 0.1, "took %.2f s", took);
	ck_assert_msg(took < 1.0 + RUN_KILL_GRACE + 2.0, "took %.2f s", took);
	run_call_free(&c);
	free(p);
}
END_TEST

START_TEST(timeout_kills_what_the_plugin_started)
{
	char *p = plugin("p",
	                 "/bin/sleep 60 &\n"
	                 "echo $! > \"$D/bg.tmp\"; mv \"$D/bg.tmp\" \"$D/bg\"\n"
	                 "/bin/sleep 60\n");
	char env_d[512], *const envp[] = {env_d, (char *)"PATH=/bin:/usr/bin",
	                                  NULL};
	struct run_call c;
	pid_t bg;

	snprintf(env_d, sizeof(env_d), "D=%s", unit_dir);
	run_one(p, envp, &c, "reset", "n1", 1);
	ck_assert_int_eq(c.end, RUN_TIMED_OUT);
	bg = read_pid("bg", 0);
	ck_assert_msg(wait_dead(bg, 5), "background process %ld survived",
	              (long)bg);
	run_call_free(&c);
	free(p);
}
END_TEST

START_TEST(signal_is_reported)
{
	char *p = plugin("p", "kill -USR1 $$\nexit 0\n");
	struct run_call c;

	run_one(p, no_env, &c, "status", NULL, 10);
	ck_assert_int_eq(c.end, RUN_SIGNALED);
	ck_assert_int_eq(c.status, SIGUSR1);
	ck_assert_int_eq(run_call_ok(&c), 0);
	run_call_free(&c);
	free(p);
}
END_TEST

START_TEST(output_of_the_maximum_size_is_kept)
{
	char *p = plugin("p", "exec /usr/bin/head -c \"$1\" /dev/zero\n"),
	     count[32];
	struct run_call c;

	snprintf(count, sizeof(count), "%d", RUN_MAX_OUTPUT);
	run_one(p, no_env, &c, count, NULL, 20);
	ck_assert_int_eq(c.end, RUN_EXITED);
	ck_assert_int_eq(c.status, 0);
	ck_assert_uint_eq(c.out.len, RUN_MAX_OUTPUT);
	run_call_free(&c);
	free(p);
}
END_TEST

START_TEST(output_over_the_bound_is_an_overflow)
{
	char *p = plugin("p", "exec /usr/bin/head -c \"$1\" /dev/zero\n"),
	     *q = plugin("q", "exec /usr/bin/head -c \"$1\" /dev/zero >&2\n"),
	     count[32];
	struct run_call c;

	snprintf(count, sizeof(count), "%d", RUN_MAX_OUTPUT + 1);
	run_one(p, no_env, &c, count, NULL, 20);
	ck_assert_int_eq(c.end, RUN_OVERFLOW);
	ck_assert_int_eq(c.status, 0); /* stdout */
	ck_assert_uint_le(c.out.len, RUN_MAX_OUTPUT);
	ck_assert_int_eq(run_call_ok(&c), 0);
	run_call_free(&c);
	run_one(q, no_env, &c, count, NULL, 20);
	ck_assert_int_eq(c.end, RUN_OVERFLOW);
	ck_assert_int_eq(c.status, 1); /* stderr */
	run_call_free(&c);
	free(p);
	free(q);
}
END_TEST

START_TEST(endless_output_is_stopped_long_before_the_timeout)
{
	char *p = plugin("p", "exec /usr/bin/yes\n");
	struct run_call c;
	double t0 = mono();

	run_one(p, no_env, &c, "gethosts", NULL, 20);
	ck_assert_int_eq(c.end, RUN_OVERFLOW);
	ck_assert_double_lt(mono() - t0, 10.0);
	run_call_free(&c);
	free(p);
}
END_TEST

START_TEST(file_without_interpreter_line_fails_to_execute)
{
	char *p = unit_write_file(unit_dir, "p", "echo hello\n", 0755), *d;
	struct run_call c;

	run_one(p, no_env, &c, "status", NULL, 10);
	ck_assert_int_eq(c.end, RUN_EXEC_FAILED);
	ck_assert_int_eq(c.status, ENOEXEC);
	ck_assert_uint_eq(c.err.len, 0);
	ck_assert_uint_eq(c.out.len, 0);
	d = run_call_describe(&c, 10);
	ck_assert_ptr_nonnull(strstr(d, "no #! line"));
	free(d);
	run_call_free(&c);
	free(p);
}
END_TEST

START_TEST(missing_program_fails_to_execute)
{
	char *p = unit_path(unit_dir, "absent");
	struct run_call c;

	run_one(p, no_env, &c, "status", NULL, 10);
	ck_assert_int_eq(c.end, RUN_EXEC_FAILED);
	ck_assert_int_eq(c.status, ENOENT);
	run_call_free(&c);
	free(p);
}
END_TEST

START_TEST(plugin_exiting_127_is_not_an_exec_failure)
{
	char *p = plugin("p", "echo 'ipmitool: not found' >&2\nexit 127\n");
	struct run_call c;

	run_one(p, no_env, &c, "status", NULL, 10);
	ck_assert_int_eq(c.end, RUN_EXITED);
	ck_assert_int_eq(c.status, 127);
	ck_assert_str_eq(c.err.data, "ipmitool: not found\n");
	run_call_free(&c);
	free(p);
}
END_TEST

/* ---- several calls ---------------------------------------------------- */

START_TEST(several_calls_run_concurrently)
{
	/* Each call waits until all five have started: run one after the
	 * other, the first would wait until its timeout. */
	char *p = plugin("p", ": > \"$D/started/$1\"\n"
	                      "while [ \"$(ls \"$D/started\" | wc -l)\" -lt 5 ]"
	                      "; do sleep 0.05; done\n"
	                      "echo \"$1\"\n"),
	     *started = unit_path(unit_dir, "started");
	char env_d[512], *const envp[] = {env_d, (char *)"PATH=/bin:/usr/bin",
	                                  NULL};
	static const char *const ops[] = {"getinfo-xml", "getinfo-devid",
	                                  "getinfo-devname", "getinfo-devurl",
	                                  "getconfignames"};
	struct run_call calls[5];

	ck_assert_int_eq(mkdir(started, 0755), 0);
	snprintf(env_d, sizeof(env_d), "D=%s", unit_dir);
	memset(calls, 0, sizeof(calls));
	for (size_t i = 0; i < 5; i++)
		calls[i].op = ops[i];
	ck_assert_int_eq(run_calls(p, envp, calls, 5, 15), 0);
	for (size_t i = 0; i < 5; i++) {
		char expect[64];

		ck_assert_msg(calls[i].end == RUN_EXITED &&
		                      calls[i].status == 0,
		              "%s ended %d/%d", ops[i], calls[i].end,
		              calls[i].status);
		snprintf(expect, sizeof(expect), "%s\n", ops[i]);
		ck_assert_str_eq(calls[i].out.data, expect);
		run_call_free(&calls[i]);
	}
	free(started);
	free(p);
}
END_TEST

START_TEST(each_call_of_a_batch_ends_on_its_own)
{
	char *p = plugin("p", "case $1 in\n"
	                      "slow) exec /bin/sleep 30 ;;\n"
	                      "loud) echo \"$1\"; exit 0 ;;\n"
	                      "*) exit 4 ;;\n"
	                      "esac\n");
	struct run_call calls[3];

	memset(calls, 0, sizeof(calls));
	calls[0].op = "slow";
	calls[1].op = "loud";
	calls[2].op = "fail";
	ck_assert_int_eq(run_calls(p, no_env, calls, 3, 1), 0);
	ck_assert_int_eq(calls[0].end, RUN_TIMED_OUT);
	ck_assert_int_eq(calls[1].end, RUN_EXITED);
	ck_assert_int_eq(calls[1].status, 0);
	ck_assert_str_eq(calls[1].out.data, "loud\n");
	ck_assert_int_eq(calls[2].end, RUN_EXITED);
	ck_assert_int_eq(calls[2].status, 4);
	ck_assert_double_lt(calls[1].seconds, 1.0);
	for (size_t i = 0; i < 3; i++)
		run_call_free(&calls[i]);
	free(p);
}
END_TEST

/* ---- the shim itself stopped ------------------------------------------ */

START_TEST(sigterm_to_the_shim_is_passed_on_and_reported)
{
	char *p = plugin("p", "kill -TERM $PPID\nexec /bin/sleep 30\n");
	struct run_call c;
	struct unit_capture cap;
	double t0 = mono();
	char *err;
	int rc;

	run_one(p, no_env, &c, "reset", "n1", 20);
	ck_assert_int_eq(c.end, RUN_INTERRUPTED);
	ck_assert_int_eq(c.status, SIGTERM);
	ck_assert_double_lt(mono() - t0, 1.0 + RUN_KILL_GRACE);
	ck_assert_int_eq(run_interrupted(), SIGTERM);
	run_call_free(&c);

	/* Nothing more is started once the shim was asked to stop. */
	memset(&c, 0, sizeof(c));
	c.op = "on";
	unit_capture_start(&cap);
	rc = run_calls(p, no_env, &c, 1, 20);
	err = unit_capture_end(&cap);
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_nonnull(strstr(err, "not running"));
	free(err);
	free(p);
}
END_TEST

START_TEST(plugin_and_its_children_die_with_the_shim)
{
	char *p = plugin("p",
	                 "/bin/sleep 60 &\n"
	                 "echo $! > \"$D/bg.tmp\"; mv \"$D/bg.tmp\" \"$D/bg\"\n"
	                 "echo $$ > \"$D/fg.tmp\"; mv \"$D/fg.tmp\" \"$D/fg\"\n"
	                 "/bin/sleep 60\n");
	char env_d[512], *const envp[] = {env_d, (char *)"PATH=/bin:/usr/bin",
	                                  NULL};
	pid_t shim, bg, fg;

	snprintf(env_d, sizeof(env_d), "D=%s", unit_dir);
	shim = fork();
	ck_assert_int_ge(shim, 0);
	if (shim == 0) {
		struct run_call c;

		memset(&c, 0, sizeof(c));
		c.op = "reset";
		c.target = "n1";
		run_calls(p, envp, &c, 1, 60);
		_exit(0);
	}
	bg = read_pid("bg", 10);
	fg = read_pid("fg", 10);
	/* As a fencer's timeout would: no chance to clean up. */
	ck_assert_int_eq(kill(shim, SIGKILL), 0);
	ck_assert_int_eq(waitpid(shim, NULL, 0), shim);
	ck_assert_msg(wait_dead(fg, 5), "plugin %ld survived the shim",
	              (long)fg);
	ck_assert_msg(wait_dead(bg, 5), "plugin's child %ld survived the shim",
	              (long)bg);
	free(p);
}
END_TEST

/* ---- describing an end ------------------------------------------------ */

static char *
describe(enum run_end end, int status, long timeout)
{
	struct run_call c;

	memset(&c, 0, sizeof(c));
	c.end = end;
	c.status = status;
	return run_call_describe(&c, timeout);
}

static void
assert_describes(enum run_end end, int status, long timeout, const char *phrase)
{
	char *d = describe(end, status, timeout);

	ck_assert_str_eq(d, phrase);
	free(d);
}

START_TEST(run_call_describe_says_how_a_call_ended)
{
	char over[128];

	assert_describes(RUN_EXITED, 3, 30, "exited 3");
	assert_describes(RUN_SIGNALED, SIGSEGV, 30,
	                 "was killed by signal 11 (Segmentation fault)");
	assert_describes(
	        RUN_TIMED_OUT, 0, 30,
	        "timed out after 30 s (plugin_timeout) and was killed");
	snprintf(over, sizeof(over),
	         "printed more than %d bytes on stdout and was killed",
	         RUN_MAX_OUTPUT);
	assert_describes(RUN_OVERFLOW, 0, 30, over);
	snprintf(over, sizeof(over),
	         "printed more than %d bytes on stderr and was killed",
	         RUN_MAX_OUTPUT);
	assert_describes(RUN_OVERFLOW, 1, 30, over);
	assert_describes(RUN_EXEC_FAILED, ENOEXEC, 30,
	                 "could not be executed: Exec format error (no #! "
	                 "line?)");
	assert_describes(RUN_EXEC_FAILED, EACCES, 30,
	                 "could not be executed: Permission denied");
	assert_describes(RUN_INTERRUPTED, SIGTERM, 30,
	                 "was stopped: the shim received Terminated");
}
END_TEST

/* ---- nothing outlives a call we stopped -------------------------------- */

START_TEST(plugin_leaving_its_group_and_ignoring_sigterm_is_killed_in_time)
{
	/* It joins our process group: a kill of its own group finds none. */
	char *p = plugin("p", "exec python3 -c 'import os, signal, time\n"
	                      "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
	                      "os.setpgid(0, os.getpgid(os.getppid()))\n"
	                      "time.sleep(60)'\n");
	struct run_call c;
	double t0 = mono();

	run_init(0, NULL);
	run_one(p, no_env, &c, "reset", "n1", 1);
	ck_assert_int_eq(c.end, RUN_TIMED_OUT);
	ck_assert_double_lt(mono() - t0, 1 + RUN_KILL_GRACE + 1);
	ck_assert_msg(is_dead(c.pid), "plugin %ld still runs", (long)c.pid);
	run_call_free(&c);
	free(p);
}
END_TEST

START_TEST(timeout_leaves_no_descendant_even_in_another_session)
{
	char *p = plugin("p", "setsid /bin/sleep 600 &\n"
	                      "echo $! > \"$D/bg.tmp\"; mv \"$D/bg.tmp\" "
	                      "\"$D/bg\"\n"
	                      "exec /bin/sleep 60\n");
	char env_d[512], *const envp[] = {env_d, (char *)"PATH=/bin:/usr/bin",
	                                  NULL};
	struct run_call c;
	pid_t bg;

	snprintf(env_d, sizeof(env_d), "D=%s", unit_dir);
	run_init(0, NULL);
	run_one(p, envp, &c, "reset", "n1", 1);
	ck_assert_int_eq(c.end, RUN_TIMED_OUT);
	bg = read_pid("bg", 1);
	/* Gone when run_calls() returns, not some time later. */
	ck_assert_msg(is_dead(bg), "setsid child %ld survived", (long)bg);
	run_call_free(&c);
	free(p);
}
END_TEST

/* The highest descriptor open in this process. */
static int
highest_fd(void)
{
	int max = 2;

	for (int fd = 3; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			max = fd;
	return max;
}

START_TEST(failed_start_signals_only_started_calls)
{
	char *p = plugin("p", "exec /bin/sleep 60\n");
	struct run_call calls[3];
	struct unit_capture cap;
	struct rlimit rl;
	int base = highest_fd() + 1;
	char *err;
	int rc;

	/* Fill the holes below: new descriptors then start at BASE. */
	for (int fd = dup(0); fd >= 0; fd = dup(0))
		if (fd >= base) {
			close(fd);
			break;
		}
	/* Room for the signalfd, /dev/null, call 0's two pipes and half
	 * of call 1's: its second pipe fails, call 2 is never started. */
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	rl.rlim_cur = (rlim_t)base + 8;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	memset(calls, 0, sizeof(calls));
	for (int i = 0; i < 3; i++)
		calls[i].op = "status";
	unit_capture_start(&cap);
	rc = run_calls(p, no_env, calls, 3, 10);
	err = unit_capture_end(&cap);
	/* We are still alive: kill(0, ...) would have ended this test. */
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_nonnull(strstr(err, "cannot create a pipe"));
	ck_assert_int_gt(calls[0].pid, 0);
	ck_assert(is_dead(calls[0].pid));
	ck_assert_int_eq(calls[2].pid, -1);
	for (int i = 0; i < 3; i++)
		run_call_free(&calls[i]);
	free(err);
	free(p);
}
END_TEST

START_TEST(inherited_ignored_sigchld_is_reset_at_start_up)
{
	char *p = plugin("p", "exit 0\n");
	struct run_call c;
	double t0 = mono();

	signal(SIGCHLD, SIG_IGN);
	run_init(0, NULL);
	run_one(p, no_env, &c, "status", NULL, 5);
	ck_assert_int_eq(c.end, RUN_EXITED);
	ck_assert_int_eq(c.status, 0);
	ck_assert_double_lt(mono() - t0, 2.0);
	run_call_free(&c);
	free(p);
}
END_TEST

static Suite *
run_suite(void)
{
	Suite *s = suite_create("run");
	TCase *tc = tcase_create("calls");

	tcase_add_unchecked_fixture(tc, unit_root_setup, unit_root_teardown);
	tcase_add_checked_fixture(tc, unit_dir_make, unit_dir_remove);
	/* The slowest test waits for a timeout plus the kill grace. */
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, exit_code_is_captured);
	tcase_add_test(tc, stdout_and_stderr_are_captured_separately);
	tcase_add_test(tc, silent_plugin_gives_empty_output);
	tcase_add_test(tc, operation_and_target_are_passed_literally);
	tcase_add_test(tc, environment_is_exactly_envp_and_the_runs_mark);
	tcase_add_test(tc, stdin_is_empty);
	tcase_add_test(tc, plugin_runs_in_its_own_process_group);
	tcase_add_test(tc, descriptors_of_the_shim_are_not_inherited);
	tcase_add_test(tc, timeout_ends_the_call_within_its_bound);
	tcase_add_test(tc, plugin_ignoring_sigterm_is_killed_after_the_grace);
	tcase_add_test(tc, timeout_kills_what_the_plugin_started);
	tcase_add_test(tc, signal_is_reported);
	tcase_add_test(tc, output_of_the_maximum_size_is_kept);
	tcase_add_test(tc, output_over_the_bound_is_an_overflow);
	tcase_add_test(tc, endless_output_is_stopped_long_before_the_timeout);
	tcase_add_test(tc, file_without_interpreter_line_fails_to_execute);
	tcase_add_test(tc, missing_program_fails_to_execute);
	tcase_add_test(tc, plugin_exiting_127_is_not_an_exec_failure);
	tcase_add_test(tc, several_calls_run_concurrently);
	tcase_add_test(tc, each_call_of_a_batch_ends_on_its_own);
	tcase_add_test(tc, sigterm_to_the_shim_is_passed_on_and_reported);
	tcase_add_test(tc, plugin_and_its_children_die_with_the_shim);
	tcase_add_test(
	        tc,
	        plugin_leaving_its_group_and_ignoring_sigterm_is_killed_in_time);
	tcase_add_test(tc,
	               timeout_leaves_no_descendant_even_in_another_session);
	tcase_add_test(tc, failed_start_signals_only_started_calls);
	tcase_add_test(tc, inherited_ignored_sigchld_is_reset_at_start_up);
	suite_add_tcase(s, tc);

	tc = tcase_create("describe");
	tcase_add_test(tc, run_call_describe_says_how_a_call_ended);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	/* Signals, descriptors and children are process-wide. */
	return unit_run(run_suite(), CK_FORK);
}
