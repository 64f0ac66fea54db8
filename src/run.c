/*
 * run.c - fork/exec of plugin calls, their deadline, their output.
 *
 * Signals are taken through a signalfd so one poll() loop sees the
 * plugins' output, their exits and the shim's own SIGTERM/SIGINT/SIGHUP
 * (which are passed on to every plugin's process group).
 */
#define _GNU_SOURCE
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "xalloc.h"

/* The signal that asked the shim to stop (0: none yet). Once set, no
 * further plugin call is started. */
static int interrupted;

/* What a child writes on its stderr when execve() fails, then errno. */
#define EXEC_FAIL_TAG "\001fence_hbwrap-exec-failed:"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Close every descriptor from FD up (in a child, before it goes on). */
static void
close_from(int fd)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned)fd, ~0U, 0U) == 0)
		return;
#endif
	long max = sysconf(_SC_OPEN_MAX);

	for (long i = fd; i < (max > 0 && max < 65536 ? max : 65536); i++)
		close((int)i);
}

/*
 * The guardian: a tiny process, in a session of its own, that ends the
 * plugins' process groups if the shim dies mid-call. A fencer that times
 * out kills the shim's process group, which the plugins are not in, and
 * PR_SET_PDEATHSIG reaches only a plugin, not what the plugin started.
 * The shim writes the index of each call it has reaped, then GUARD_DONE;
 * end of file before GUARD_DONE means the shim is gone.
 */
/* The last guardian told to go, reaped when the next one starts: not
 * waiting for it to exit saves a round trip on every fence action. */
static pid_t last_guardian = -1;

#define GUARD_DONE 0xff
#define GUARD_MAX  254

static pid_t
guardian_start(const struct run_call *calls, size_t n, int *wfd)
{
	int p[2];
	pid_t g;

	*wfd = -1;
	if (last_guardian > 0) {
		waitpid(last_guardian, NULL, 0);
		last_guardian = -1;
	}
	if (n > GUARD_MAX || pipe2(p, O_CLOEXEC) < 0)
		return -1;
	g = fork();
	if (g < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (g == 0) {
		unsigned char b, alive[GUARD_MAX];
		sigset_t none;
		ssize_t r;

		setsid();
		if (dup2(p[0], STDIN_FILENO) < 0)
			_exit(1);
		close_from(STDOUT_FILENO);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		memset(alive, 1, sizeof(alive));
		while ((r = read(STDIN_FILENO, &b, 1)) != 0) {
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0 || b == GUARD_DONE)
				_exit(0);
			if (b < n)
				alive[b] = 0;
		}
		for (size_t i = 0; i < n; i++)
			if (alive[i])
				kill(-calls[i].pid, SIGKILL);
		_exit(0);
	}
	close(p[0]);
	*wfd = p[1];
	return g;
}

static void
guardian_tell(int wfd, unsigned char b)
{
	if (wfd >= 0 && write(wfd, &b, 1) < 0)
		log_verbose("cannot reach the guardian: %s", strerror(errno));
}

static void
guardian_stop(pid_t g, int wfd)
{
	if (g <= 0)
		return;
	guardian_tell(wfd, GUARD_DONE);
	close(wfd);
	last_guardian = g;
}

/* Signals a caller (or a shell before it) may have set to SIG_IGN. */
static const int inherited[] = {
        SIGHUP,  SIGINT,  SIGQUIT, SIGPIPE, SIGALRM, SIGTERM, SIGUSR1,
        SIGUSR2, SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU, SIGXFSZ, SIGXCPU,
};

/* Runs in the child between fork() and execve(); never returns. */
static void
child_exec(const char *path, char *const argv[], char *const envp[], int out_w,
           int err_w, int devnull, pid_t parent)
{
	sigset_t none;
	char msg[64];
	int n;

	/* Our own group, so a timeout can end the plugin and its children;
	 * and die with the shim, whatever kills it. */
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	if (dup2(devnull, STDIN_FILENO) < 0 || dup2(out_w, STDOUT_FILENO) < 0 ||
	    dup2(err_w, STDERR_FILENO) < 0)
		_exit(127);
	/* exec() resets caught signals; ignored ones it keeps. */
	for (size_t i = 0; i < sizeof(inherited) / sizeof(inherited[0]); i++)
		signal(inherited[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	close_from(3);
	execve(path, argv, envp);
	n = snprintf(msg, sizeof(msg), "%s%d", EXEC_FAIL_TAG, errno);
	if (write(STDERR_FILENO, msg, (size_t)n) < 0)
		_exit(127);
	_exit(127);
}

/* Append what FD has to B; returns 1 at EOF, -1 when over the bound,
 * 0 when it would block. */
static int
drain(int fd, struct buf *b)
{
	char chunk[16384];

	for (;;) {
		ssize_t r = read(fd, chunk, sizeof(chunk));

		if (r == 0)
			return 1;
		if (r < 0)
			return (errno == EINTR) ? 0 : (errno == EAGAIN ? 0 : 1);
		if (b->len + (size_t)r > RUN_MAX_OUTPUT)
			return -1;
		if (b->len + (size_t)r + 1 > b->cap) {
			/* Doubling: a flood costs log(n) copies, not n. */
			b->cap = b->cap ? b->cap * 2 : sizeof(chunk) + 1;
			while (b->cap < b->len + (size_t)r + 1)
				b->cap *= 2;
			b->data = xrealloc(b->data, b->cap);
		}
		memcpy(b->data + b->len, chunk, (size_t)r);
		b->len += (size_t)r;
		b->data[b->len] = '\0';
	}
}

static void
close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

/* Record the end of C (unless a cause was already set) from STATUS. */
static void
reaped(struct run_call *c, int status, int timed_or_killed)
{
	c->reaped = 1;
	c->seconds = now() - c->started;
	if (!timed_or_killed) {
		if (WIFEXITED(status)) {
			c->end = RUN_EXITED;
			c->status = WEXITSTATUS(status);
		} else {
			c->end = RUN_SIGNALED;
			c->status = WTERMSIG(status);
		}
	}
	/* Whatever the plugin left behind in its group goes with it when
	 * we had to stop it. */
	if (timed_or_killed)
		kill(-c->pid, SIGKILL);
	for (int i = 0; i < 2; i++) {
		if (c->fd[i] >= 0) {
			if (drain(c->fd[i], i ? &c->err : &c->out) < 0 &&
			    !timed_or_killed) {
				c->end = RUN_OVERFLOW;
				c->status = i;
			}
			close_fd(&c->fd[i]);
		}
	}
	if (c->end == RUN_EXITED && c->status == 127 && c->err.data &&
	    strncmp(c->err.data, EXEC_FAIL_TAG, strlen(EXEC_FAIL_TAG)) == 0) {
		c->end = RUN_EXEC_FAILED;
		c->status = atoi(c->err.data + strlen(EXEC_FAIL_TAG));
		c->err.len = 0;
		c->err.data[0] = '\0';
	}
}

int
run_calls(const char *path, char *const envp[], struct run_call *calls,
          size_t n, long timeout)
{
	sigset_t mask, old;
	pid_t self = getpid(), guard = -1;
	int sfd, devnull, rc = 0, guard_fd = -1;
	size_t live = 0;
	/* per call: 0 running, 1 terminating (SIGTERM sent), 2 killed */
	int *phase, *stopped;
	double *kill_at;
	struct pollfd *pfd;

	if (interrupted) {
		log_error("not running %s %s: the shim received %s", path,
		          calls[0].op, strsignal(interrupted));
		return -1;
	}
	phase = xcalloc(n, sizeof(int));
	kill_at = xcalloc(n, sizeof(double));
	stopped = xcalloc(n, sizeof(int));
	pfd = xcalloc(2 * n + 1, sizeof(*pfd));
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, &old);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (sfd < 0 || devnull < 0) {
		log_error("cannot prepare to run %s: %s", path,
		          strerror(errno));
		rc = -1;
		goto out;
	}

	for (size_t i = 0; i < n; i++) {
		struct run_call *c = &calls[i];
		int out[2], err[2];
		char *argv[4] = {(char *)path, (char *)c->op, (char *)c->target,
		                 NULL};

		memset(&c->out, 0, sizeof(c->out));
		memset(&c->err, 0, sizeof(c->err));
		c->fd[0] = c->fd[1] = -1;
		c->reaped = 0;
		c->end = RUN_EXITED;
		c->status = 0;
		if (pipe2(out, O_CLOEXEC) < 0) {
			log_error("cannot create a pipe: %s", strerror(errno));
			rc = -1;
			break;
		}
		if (pipe2(err, O_CLOEXEC) < 0) {
			log_error("cannot create a pipe: %s", strerror(errno));
			close(out[0]);
			close(out[1]);
			rc = -1;
			break;
		}
		c->started = now();
		c->pid = fork();
		if (c->pid == 0)
			child_exec(path, argv, envp, out[1], err[1], devnull,
			           self);
		close(out[1]);
		close(err[1]);
		if (c->pid < 0) {
			log_error("cannot fork: %s", strerror(errno));
			close(out[0]);
			close(err[0]);
			rc = -1;
			break;
		}
		setpgid(c->pid, c->pid); /* also here: no race with kill() */
		c->fd[0] = out[0];
		c->fd[1] = err[0];
		fcntl(out[0], F_SETFL, O_NONBLOCK);
		fcntl(err[0], F_SETFL, O_NONBLOCK);
		live++;
		log_verbose("started %s %s%s%s (pid %ld)", path, c->op,
		            c->target ? " " : "", c->target ? c->target : "",
		            (long)c->pid);
	}
	if (rc == 0)
		guard = guardian_start(calls, n, &guard_fd);
	if (rc < 0) {
		/* Those already started must not outlive a failed start. */
		for (size_t i = 0; i < n; i++)
			if (calls[i].fd[0] >= 0) {
				kill(-calls[i].pid, SIGKILL);
				waitpid(calls[i].pid, NULL, 0);
				close_fd(&calls[i].fd[0]);
				close_fd(&calls[i].fd[1]);
				calls[i].reaped = 1;
			}
		goto out;
	}

	while (live > 0) {
		double t = now(), next = t + 3600;
		size_t np = 0;
		int wait_ms;

		/* Deadlines: SIGTERM at the timeout, SIGKILL after grace. */
		for (size_t i = 0; i < n; i++) {
			struct run_call *c = &calls[i];

			if (c->reaped)
				continue;
			if (phase[i] == 0 &&
			    t >= c->started + (double)timeout) {
				c->end = RUN_TIMED_OUT;
				stopped[i] = 1;
				kill(-c->pid, SIGTERM);
				phase[i] = 1;
				kill_at[i] = t + RUN_KILL_GRACE;
			} else if (phase[i] == 1 && t >= kill_at[i]) {
				kill(-c->pid, SIGKILL);
				phase[i] = 2;
			}
			if (phase[i] == 0 &&
			    c->started + (double)timeout < next)
				next = c->started + (double)timeout;
			if (phase[i] == 1 && kill_at[i] < next)
				next = kill_at[i];
		}
		pfd[np].fd = sfd;
		pfd[np++].events = POLLIN;
		for (size_t i = 0; i < n; i++)
			for (int k = 0; k < 2; k++)
				if (calls[i].fd[k] >= 0) {
					pfd[np].fd = calls[i].fd[k];
					pfd[np++].events = POLLIN;
				}
		wait_ms = (int)((next - t) * 1000.0) + 1;
		if (poll(pfd, np, wait_ms) < 0 && errno != EINTR) {
			log_error("poll: %s", strerror(errno));
			rc = -1;
			break;
		}

		/* Output. */
		for (size_t i = 0; i < n; i++) {
			struct run_call *c = &calls[i];

			for (int k = 0; k < 2; k++) {
				int r;

				if (c->fd[k] < 0)
					continue;
				r = drain(c->fd[k], k ? &c->err : &c->out);
				if (r == 1)
					close_fd(&c->fd[k]);
				if (r < 0 && !stopped[i]) {
					c->end = RUN_OVERFLOW;
					c->status = k;
					stopped[i] = 1;
					kill(-c->pid, SIGKILL);
					close_fd(&c->fd[k]);
				} else if (r < 0) {
					close_fd(&c->fd[k]);
				}
			}
		}

		/* Signals: children ended, or we are asked to stop. */
		struct signalfd_siginfo si;
		while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
			if (si.ssi_signo == SIGCHLD)
				continue;
			interrupted = (int)si.ssi_signo;
			for (size_t i = 0; i < n; i++) {
				if (calls[i].reaped || stopped[i])
					continue;
				calls[i].end = RUN_INTERRUPTED;
				calls[i].status = (int)si.ssi_signo;
				stopped[i] = 1;
				kill(-calls[i].pid, (int)si.ssi_signo);
				phase[i] = 1;
				kill_at[i] = now() + RUN_KILL_GRACE;
			}
		}
		for (size_t i = 0; i < n; i++) {
			int status;

			if (calls[i].reaped)
				continue;
			if (waitpid(calls[i].pid, &status, WNOHANG) ==
			    calls[i].pid) {
				reaped(&calls[i], status, stopped[i]);
				guardian_tell(guard_fd, (unsigned char)i);
				live--;
				log_verbose("%s %s ended after %.3f s", path,
				            calls[i].op, calls[i].seconds);
			}
		}
	}
out:
	guardian_stop(guard, guard_fd);
	if (sfd >= 0)
		close(sfd);
	if (devnull >= 0)
		close(devnull);
	sigprocmask(SIG_SETMASK, &old, NULL);
	free(phase);
	free(kill_at);
	free(stopped);
	free(pfd);
	return rc;
}

int
run_interrupted(void)
{
	return interrupted;
}

int
run_call_ok(const struct run_call *call)
{
	return call->end == RUN_EXITED && call->status == 0;
}

char *
run_call_describe(const struct run_call *c, long timeout)
{
	switch (c->end) {
	case RUN_EXITED:
		return xasprintf("exited %d", c->status);
	case RUN_SIGNALED:
		return xasprintf("was killed by signal %d (%s)", c->status,
		                 strsignal(c->status));
	case RUN_TIMED_OUT:
		return xasprintf("timed out after %ld s (plugin_timeout) and "
		                 "was killed",
		                 timeout);
	case RUN_OVERFLOW:
		return xasprintf("printed more than %d bytes on %s and was "
		                 "killed",
		                 RUN_MAX_OUTPUT,
		                 c->status ? "stderr" : "stdout");
	case RUN_EXEC_FAILED:
		return xasprintf("could not be executed: %s%s",
		                 strerror(c->status),
		                 c->status == ENOEXEC ? " (no #! line?)" : "");
	case RUN_INTERRUPTED:
		return xasprintf("was stopped: the shim received %s",
		                 strsignal(c->status));
	}
	return xstrdup("ended in an unknown way");
}

void
run_call_free(struct run_call *call)
{
	free(call->out.data);
	free(call->err.data);
	call->out.data = call->err.data = NULL;
	call->out.len = call->err.len = 0;
	call->out.cap = call->err.cap = 0;
}
