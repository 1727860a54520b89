/*
 * milter_main.c - vigie-milter: options, configuration, socket, privileges,
 * signals, and the libmilter main loop.
 *
 * usage: vigie-milter [-c FILE] [-p SOCKET] [-f] [-n] [-u USER] [-P PIDFILE]
 *        (long forms: --config, --socket, --foreground, --check, --user,
 *        --pidfile; --help, --version)
 *
 * Signals. libmilter runs its own signal thread that waits for SIGHUP,
 * SIGTERM and SIGINT and takes any of them for "stop", but SIGHUP must
 * reload here. The kernel gives a process-directed signal to the main
 * thread whenever the main thread wants it: does not block it and has
 * no other signal pending. So the handlers are installed first thing,
 * before anything is loaded and before any thread starts; the main
 * thread never blocks these signals, and its handler, which only writes
 * to a pipe, runs with SA_NODEFER so that a second signal during it still
 * finds the main thread willing; smfi_main() runs in a thread started
 * with all of them blocked (its threads inherit that). The main loop acts
 * on the pipe outside signal context: SIGHUP or SIGUSR1 parses and
 * compiles the new configuration, then publishes it (the old one stays if
 * the new one is bad); SIGTERM and SIGINT stop libmilter cleanly. SIGUSR1,
 * which libmilter leaves alone, is what the systemd unit's reload sends.
 * Should libmilter stop without being asked, that is logged and the exit
 * status is 1, so that a supervisor starts the daemon again.
 *
 * Stopping fast. libmilter's listener looks at smfi_stop() only between
 * polls of its socket, which last up to five seconds (MI_CHK_TIME), and
 * holds a lock smfi_stop() waits for while it polls: a stop or a restart
 * would take five seconds. So smfi_stop() runs in a thread of its own
 * while the main thread sends SIGUSR2, whose handler does nothing, to
 * the listener until it ends: the signal cuts the poll short (EINTR) and
 * libmilter sees the stop at once.
 */
#define _GNU_SOURCE		/* pthread_attr_setsigmask_np */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libmilter/mfapi.h>

#include "auth_dns.h"
#include "buf.h"
#include "conf.h"
#include "conf_store.h"
#include "engine.h"
#include "lint.h"
#include "log.h"
#include "milter_callbacks.h"
#include "milter_stats_http.h"
#include "socket_diag.h"
#include "stats.h"

#define DEFAULT_CONF	"/etc/vigie/vigie.conf"
#define MILTER_MAX_DATA	(1024 * 1024 - 1)	/* a 90 KiB header fits */

struct options {
	const char *conf_path;
	const char *socket;
	const char *user;
	const char *pidfile;
	int	 foreground;
	int	 check_only;
};

static int signal_pipe[2] = { -1, -1 };

/* usage - the synopsis on out */
static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: vigie-milter [-c FILE] [-p SOCKET] [-f] [-n] [-u USER] "
	    "[-P PIDFILE]\n"
	    "  -c, --config FILE    configuration (" DEFAULT_CONF ")\n"
	    "  -p, --socket SPEC    listen here instead of the configured socket\n"
	    "  -f, --foreground     stay in the foreground, log to stderr\n"
	    "  -n, --check          check the configuration and rules, then exit\n"
	    "  -u, --user USER      run as USER instead of the configured user\n"
	    "  -P, --pidfile FILE   write the process id there\n"
	    "  -h, --help           this text;  --version  the version\n");
}

/* usage_error - what is wrong, on stderr, then exit 2 */
static void __attribute__((noreturn, format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("vigie-milter: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'vigie-milter --help'.\n", stderr);
	exit(2);
}

/*
 * print_errors - each "file:line: what" line of a failed load (or of
 * warnings), to stderr or logged with priority
 */
static void
print_errors(const struct buf *errors, int to_stderr, int priority)
{
	const char *p = buf_cstr(errors), *nl;

	while (*p) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		if (to_stderr)
			fprintf(stderr, "%.*s\n", (int)(nl - p), p);
		else
			log_msg(priority, "%.*s", (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
	}
}

/* load_conf - load or report; NULL when the configuration is bad */
static struct conf *
load_conf(const char *path, int to_stderr)
{
	struct buf errors;
	struct conf *c;

	buf_init(&errors);
	c = conf_load(path, &errors);
	if (c == NULL)
		print_errors(&errors, to_stderr, LOG_ERR);
	buf_free(&errors);
	return c;
}

/* on_signal - async-signal-safe: hand the signal to the main loop */
static void
on_signal(int sig)
{
	unsigned char b = (unsigned char)sig;
	int saved = errno;
	ssize_t n;

	/* a full pipe already holds a wake-up: nothing is lost */
	n = write(signal_pipe[1], &b, 1);
	(void)n;
	errno = saved;
}

/* on_wake - SIGUSR2: nothing to do; arriving is what cuts a poll short */
static void
on_wake(int sig)
{
	(void)sig;
}

/* handled_signals - the signals the main loop acts on */
static void
handled_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGUSR1);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
}

/* install_handlers - route SIGHUP/SIGUSR1/SIGTERM/SIGINT to the pipe */
static int
install_handlers(void)
{
	struct sigaction sa;
	sigset_t set;

	if (pipe(signal_pipe) < 0)
		return -1;
	(void)fcntl(signal_pipe[1], F_SETFL, O_NONBLOCK);
	(void)fcntl(signal_pipe[0], F_SETFD, FD_CLOEXEC);
	(void)fcntl(signal_pipe[1], F_SETFD, FD_CLOEXEC);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	/* never blocked in the main thread, not even during the handler */
	sa.sa_flags = SA_RESTART | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGHUP, &sa, NULL) < 0 ||
	    sigaction(SIGUSR1, &sa, NULL) < 0 ||
	    sigaction(SIGTERM, &sa, NULL) < 0 ||
	    sigaction(SIGINT, &sa, NULL) < 0)
		return -1;
	sa.sa_handler = on_wake;
	sa.sa_flags = 0;
	if (sigaction(SIGUSR2, &sa, NULL) < 0)
		return -1;
	handled_signals(&set);
	if (pthread_sigmask(SIG_UNBLOCK, &set, NULL) != 0)
		return -1;
	sa.sa_handler = SIG_IGN;
	return sigaction(SIGPIPE, &sa, NULL);
}

/* drop_privileges - become user, verified; refuse root unless allowed */
static int
drop_privileges(const char *user, int allow_root)
{
	struct passwd *pw;

	if (user != NULL && *user != '\0' && geteuid() == 0) {
		if ((pw = getpwnam(user)) == NULL) {
			log_msg(LOG_ERR, "user \"%s\" does not exist", user);
			return -1;
		}
		if (initgroups(pw->pw_name, pw->pw_gid) < 0 ||
		    setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0) {
			log_msg(LOG_ERR, "cannot become user \"%s\": %s", user,
			    strerror(errno));
			return -1;
		}
		/* a process that can get root back has not dropped it */
		if (setuid(0) == 0 || getuid() != pw->pw_uid ||
		    geteuid() != pw->pw_uid) {
			log_msg(LOG_ERR, "privilege drop to \"%s\" failed", user);
			return -1;
		}
	}
	if ((getuid() == 0 || geteuid() == 0) && !allow_root) {
		log_msg(LOG_ERR, "refusing to run as root: set \"user\" in the "
		    "configuration or use -u (allow_root = true is for local "
		    "testing only)");
		return -1;
	}
	return 0;
}

/* socket_path - the file of a "unix:" or "local:" spec, else NULL */
static const char *
socket_path(const char *spec)
{
	if (strncmp(spec, "unix:", 5) == 0)
		return spec + 5;
	if (strncmp(spec, "local:", 6) == 0)
		return spec + 6;
	if (spec[0] == '/')
		return spec;
	return NULL;
}

/* prepare_socket - open the listening socket as root, set mode and owner */
static int
prepare_socket(const char *spec, const char *mode, const char *user)
{
	const char *path = socket_path(spec);
	struct passwd *pw;
	unsigned long m;
	char *end;

	if (smfi_setconn((char *)spec) != MI_SUCCESS) {
		log_msg(LOG_ERR, "bad socket specification \"%s\"", spec);
		return -1;
	}
	if (smfi_opensocket(1) != MI_SUCCESS) {
		char why[256];

		socket_diag(spec, why, sizeof(why));
		log_msg(LOG_ERR, "cannot open socket \"%s\": %s", spec, why);
		return -1;
	}
	if (path == NULL)
		return 0;
	m = strtoul(mode, &end, 8);
	if (*end != '\0' || m > 0777) {
		log_msg(LOG_ERR, "socket_mode \"%s\" is not an octal mode", mode);
		return -1;
	}
	if (chmod(path, (mode_t)m) < 0) {
		log_msg(LOG_ERR, "chmod %s: %s", path, strerror(errno));
		return -1;
	}
	/*
	 * The owner becomes the daemon's user, so it can remove the socket;
	 * the group stays the directory's (make it setgid postfix, mode
	 * 2750, and a 0660 socket is Postfix's to use).
	 */
	if (user != NULL && *user != '\0' && geteuid() == 0 &&
	    (pw = getpwnam(user)) != NULL &&
	    chown(path, pw->pw_uid, (gid_t)-1) < 0) {
		log_msg(LOG_ERR, "chown %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * pidfile_stale - the regular file at path holds the pid of a process
 * that no longer exists (never follows a symlink)
 */
static int
pidfile_stale(const char *path)
{
	char text[32], *end;
	struct stat st;
	ssize_t n;
	long pid;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) < 0)
		return 0;
	n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ?
	    read(fd, text, sizeof(text) - 1) : -1;
	(void)close(fd);
	if (n <= 0)
		return 0;
	text[n] = '\0';
	errno = 0;
	pid = strtol(text, &end, 10);
	if (errno != 0 || end == text || (*end != '\n' && *end != '\0') ||
	    pid <= 0)
		return 0;
	return kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

/*
 * write_pidfile - the daemon's pid, for rc scripts. Written as root, so
 * it is only ever created: never through a symlink, never over an
 * existing file, except one naming a dead process.
 */
static int
write_pidfile(const char *path)
{
	char text[32];
	int fd, len, tries, err;

	for (tries = 0;; tries++) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0644);
		if (fd >= 0)
			break;
		err = errno;
		if (err == EEXIST && tries == 0 && pidfile_stale(path) &&
		    unlink(path) == 0) {
			log_msg(LOG_WARNING, "removed the stale pid file %s",
			    path);
			continue;
		}
		log_msg(LOG_ERR, "cannot create pid file %s: %s%s", path,
		    strerror(err), err == EEXIST ? " (another vigie-milter "
		    "running, or not a pid file: remove it)" : "");
		return -1;
	}
	len = snprintf(text, sizeof(text), "%ld\n", (long)getpid());
	if (write(fd, text, (size_t)len) != len) {
		log_msg(LOG_ERR, "cannot write pid file %s: %s", path,
		    strerror(errno));
		(void)close(fd);
		(void)unlink(path);
		return -1;
	}
	return close(fd);
}

/* remove_files - the socket file and the pid file, when vigie made them */
static void
remove_files(const char *spec, const char *pidfile)
{
	if (socket_path(spec) != NULL)
		(void)unlink(socket_path(spec));
	if (pidfile != NULL)
		(void)unlink(pidfile);
}

/* warn_if_world_writable - one warning line when anyone may change path */
static size_t
warn_if_world_writable(const char *path, struct buf *warnings)
{
	struct stat st;

	if (stat(path, &st) < 0 || !(st.st_mode & S_IWOTH))
		return 0;
	(void)buf_printf(warnings, "%s: warning: world-writable: anyone on "
	    "this host can change what vigie detects (chmod o-w)\n", path);
	return 1;
}

/*
 * world_writable_files - warnings for the configuration and rule files
 * anyone may write (rule files are relative to the configuration's
 * directory unless absolute, as conf_load reads them); their count
 */
static size_t
world_writable_files(const struct conf *c, struct buf *warnings)
{
	const char *slash = strrchr(c->path, '/');
	struct buf p;
	size_t i, n;

	n = warn_if_world_writable(c->path, warnings);
	buf_init(&p);
	for (i = 0; i < c->rule_files.n; i++) {
		buf_reset(&p);
		if (c->rule_files.v[i][0] != '/' && slash != NULL &&
		    buf_printf(&p, "%.*s/", (int)(slash - c->path), c->path) < 0)
			break;
		if (buf_append_str(&p, c->rule_files.v[i]) < 0)
			break;
		n += warn_if_world_writable(buf_cstr(&p), warnings);
	}
	buf_free(&p);
	return n;
}

/* judge_slots - messages judged at once: twice the CPUs (two at least) */
static unsigned
judge_slots(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 && n < 1024 ? (unsigned)n * 2 : 2;
}

/* milter_thread - libmilter's main loop, off the main thread */
static void *
milter_thread(void *arg)
{
	int *result = arg;

	*result = smfi_main();
	/* wake the main loop when libmilter stops by itself */
	on_signal(0);
	return NULL;
}

/*
 * reload_disarms - the new conf would leave (almost) nothing to detect
 * with: no rule at all, or fewer rules or brands than reload_min_ratio
 * (the new conf's: setting it to 0 forces the reload) of those in force
 */
static int
reload_disarms(const struct conf *now, const struct conf *next)
{
	double r = next->reload_min_ratio;

	if (r <= 0)
		return 0;
	return next->rules.nrules == 0 ||
	    (double)next->rules.nrules < r * (double)now->rules.nrules ||
	    (double)next->rules.nbrands < r * (double)now->rules.nbrands;
}

/* reload - SIGHUP or SIGUSR1: new rules in force, or the old ones kept */
static void
reload(const char *path)
{
	struct conf *c, *now;
	int disarms;

	if ((c = load_conf(path, 0)) == NULL) {
		stats_reload(0);
		log_msg(LOG_ERR, "reload of %s failed: keeping the rules in "
		    "force", path);
		return;
	}
	if ((now = conf_store_acquire()) != NULL) {
		disarms = reload_disarms(now, c);
		if (disarms)
			log_msg(LOG_ERR, "reload of %s refused: %zu rules and "
			    "%zu brands where %zu and %zu are in force (under "
			    "reload_min_ratio %.2f): keeping the rules in force; "
			    "set reload_min_ratio = 0 to force it", path,
			    c->rules.nrules, c->rules.nbrands, now->rules.nrules,
			    now->rules.nbrands, c->reload_min_ratio);
		conf_store_release(now);
		if (disarms) {
			stats_reload(0);
			conf_free(c);
			return;
		}
	}
	stats_reload(1);
	conf_store_publish(c);
	log_msg(LOG_INFO, "reloaded %s: %zu rules, %zu brands, %zu dns "
	    "resolvers open", path, c->rules.nrules, c->rules.nbrands,
	    auth_dns_count());
}

/* start_milter_thread - smfi_main() in a thread that blocks our signals */
static int
start_milter_thread(pthread_t *tid, int *result)
{
	pthread_attr_t attr;
	sigset_t set;
	int rc;

	handled_signals(&set);
	if (pthread_attr_init(&attr) != 0)
		return -1;
	rc = pthread_attr_setsigmask_np(&attr, &set) == 0 &&
	    pthread_create(tid, &attr, milter_thread, result) == 0 ? 0 : -1;
	(void)pthread_attr_destroy(&attr);
	return rc;
}

/* smfi_stop_thread - smfi_stop(), which waits for the listener's poll */
static void *
smfi_stop_thread(void *arg)
{
	(void)arg;
	smfi_stop();
	return NULL;
}

/*
 * stop_milter_thread - smfi_stop() and wait for smfi_main() to return.
 * smfi_stop() marks the stop, then waits for the lock the listener holds
 * while it polls: it runs in a thread of its own while this one wakes
 * the listener every 50 ms until the milter thread ends (one SIGUSR2
 * that came just before it entered its poll would be missed). Without
 * that thread, smfi_stop() is called here and the stop takes up to
 * libmilter's five seconds.
 */
static void
stop_milter_thread(pthread_t tid)
{
	struct timespec until;
	pthread_t stopper;
	int stopping;

	stopping = pthread_create(&stopper, NULL, smfi_stop_thread, NULL) == 0;
	if (!stopping)
		smfi_stop();
	for (;;) {
		(void)pthread_kill(tid, SIGUSR2);
		if (clock_gettime(CLOCK_REALTIME, &until) < 0) {
			(void)pthread_join(tid, NULL);
			break;
		}
		until.tv_nsec += 50 * 1000 * 1000;
		if (until.tv_nsec >= 1000 * 1000 * 1000) {
			until.tv_sec++;
			until.tv_nsec -= 1000 * 1000 * 1000;
		}
		if (pthread_timedjoin_np(tid, NULL, &until) == 0)
			break;
	}
	if (stopping)
		(void)pthread_join(stopper, NULL);
}

/*
 * serve - run libmilter and answer signals until told to stop; signals
 * that came together are taken together: a stop wins, and any number
 * of reload signals make one reload
 */
static int
serve(const char *conf_path, const char *stats_listen)
{
	pthread_t tid;
	int result = MI_FAILURE, stop = 0, unexpected = 0, stopped = 0;
	int want_reload;
	unsigned char sig[64];
	ssize_t n, i;

	if (*stats_listen != '\0' && milter_stats_http_start(stats_listen) < 0)
		return -1;
	if (start_milter_thread(&tid, &result) < 0) {
		log_msg(LOG_ERR, "cannot start the milter thread");
		milter_stats_http_stop();
		return -1;
	}
	while (!stop) {
		n = read(signal_pipe[0], sig, sizeof(sig));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			log_msg(LOG_ERR, "signal pipe: %s", n < 0 ?
			    strerror(errno) : "closed");
			stop = unexpected = 1;
			break;
		}
		want_reload = 0;
		for (i = 0; i < n && !stop; i++) {
			if (sig[i] == 0) {
				log_msg(LOG_ERR, "libmilter stopped by itself; "
				    "exiting with status 1");
				stop = unexpected = stopped = 1;
			} else if (sig[i] == SIGHUP || sig[i] == SIGUSR1)
				want_reload = 1;
			else {
				log_msg(LOG_INFO, "stopping on signal %d", sig[i]);
				stop = 1;
			}
		}
		if (!stop && want_reload)
			reload(conf_path);
	}
	if (stopped)
		(void)pthread_join(tid, NULL);
	else
		stop_milter_thread(tid);
	milter_stats_http_stop();
	return result == MI_SUCCESS && !unexpected ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct options o = { DEFAULT_CONF, NULL, NULL, NULL, 0, 0 };
	struct conf *c;
	struct rlimit no_core = { 0, 0 };
	const char *spec, *user;
	int ch, rc;

	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 'p' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'n' },
		{ "user", required_argument, NULL, 'u' },
		{ "pidfile", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};

	opterr = 0;	/* usage_error() says what is wrong */
	while ((ch = getopt_long(argc, argv, ":c:p:fnu:P:h", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			o.conf_path = optarg;
			break;
		case 'p':
			o.socket = optarg;
			break;
		case 'f':
			o.foreground = 1;
			break;
		case 'n':
			o.check_only = 1;
			break;
		case 'u':
			o.user = optarg;
			break;
		case 'P':
			o.pidfile = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("vigie-milter %s\n", VIGIE_VERSION);
			return 0;
		case ':':
			usage_error("%s needs a value", argv[optind - 1]);
		default:
			usage_error("unknown option %s", argv[optind - 1]);
		}
	}
	if (optind != argc)
		usage_error("unexpected argument \"%s\"", argv[optind]);

	/* message data must never end up in a core file */
	(void)setrlimit(RLIMIT_CORE, &no_core);
	(void)prctl(PR_SET_DUMPABLE, 0);

	log_open("vigie-milter", o.foreground || o.check_only);
	/* before anything slow and before any thread: see the top comment */
	if (!o.check_only && install_handlers() < 0) {
		log_msg(LOG_ERR, "cannot install the signal handlers: %s",
		    strerror(errno));
		return 1;
	}
	if (engine_init() < 0) {
		log_msg(LOG_ERR, "cannot initialise the libraries (public "
		    "suffix list, ICU, GMime)");
		return 1;
	}
	if ((c = load_conf(o.conf_path, 1)) == NULL)
		return 1;
	/* -n refuses what start-up would: same check, before anything opens */
	if (*c->stats_listen != '\0' &&
	    milter_stats_http_check(c->stats_listen) < 0) {
		log_msg(LOG_ERR, "%s: stats_listen \"%s\": need a loopback "
		    "ADDRESS:PORT (127.0.0.1:9810, [::1]:9810)", o.conf_path,
		    c->stats_listen);
		conf_free(c);
		return 1;
	}
	if (o.check_only) {
		struct buf warnings;
		size_t n;

		buf_init(&warnings);
		n = lint_ruleset(&c->rules, c->path, &warnings);
		n += world_writable_files(c, &warnings);
		if (c->rules.nrules == 0) {
			(void)buf_printf(&warnings, "%s: warning: no rules: "
			    "nothing is detected, and a reload to this is "
			    "refused unless reload_min_ratio = 0\n", o.conf_path);
			n++;
		}
		fputs(buf_cstr(&warnings), stderr);
		printf("%s: OK, %zu rules, %zu brands, %zu warnings\n",
		    o.conf_path, c->rules.nrules, c->rules.nbrands, n);
		buf_free(&warnings);
		conf_free(c);
		return 0;
	}
	{
		struct buf warnings;

		buf_init(&warnings);
		if (world_writable_files(c, &warnings) > 0)
			print_errors(&warnings, 0, LOG_WARNING);
		buf_free(&warnings);
	}
	spec = o.socket != NULL ? o.socket : c->socket;
	user = o.user != NULL ? o.user : c->user;

	if (milter_callbacks_init(judge_slots()) < 0) {
		log_msg(LOG_ERR, "cannot create the judging slots: %s",
		    strerror(errno));
		return 1;
	}
	if (smfi_register(milter_callbacks_desc) != MI_SUCCESS) {
		log_msg(LOG_ERR, "smfi_register failed");
		return 1;
	}
	(void)smfi_setmaxdatasize(MILTER_MAX_DATA);
	/* libmilter's default, 7,210 s, lets idle peers hold descriptors */
	(void)smfi_settimeout((int)c->milter_timeout);
	if (prepare_socket(spec, c->socket_mode, user) < 0)
		return 1;
	if (!o.foreground && daemon(0, 0) < 0) {
		log_msg(LOG_ERR, "cannot detach: %s", strerror(errno));
		remove_files(spec, NULL);
		return 1;
	}
	if (o.pidfile != NULL && write_pidfile(o.pidfile) < 0) {
		remove_files(spec, NULL);
		return 1;
	}
	/* a refusal must not leave root's socket and pid file behind */
	if (drop_privileges(user, c->allow_root) < 0) {
		remove_files(spec, o.pidfile);
		return 1;
	}
	conf_store_publish(c);
	log_msg(LOG_INFO, "listening on %s with %s: %zu rules, %zu brands, "
	    "mode %s", spec, o.conf_path, c->rules.nrules, c->rules.nbrands,
	    conf_mode_name(c->mode));
	/* the endpoint is set at start; a reload does not move it */
	rc = serve(o.conf_path, c->stats_listen);
	conf_store_shutdown();
	remove_files(spec, o.pidfile);
	return rc < 0 ? 1 : 0;
}
