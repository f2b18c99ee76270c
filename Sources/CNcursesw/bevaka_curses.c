#include "bevaka_curses.h"
#include <term.h>
#include <signal.h>
#include <string.h>
#include <poll.h>
#include <unistd.h>

static volatile sig_atomic_t termination_signal = 0;
static volatile sig_atomic_t curses_active = 0;

int bevaka_start(int screen_reader) {
    setlocale(LC_ALL, "");
    if (initscr() == NULL) return -1;
    curses_active = 1;
    if (screen_reader) {
        // No alternate screen. initscr has queued the switch to it (smcup) in ncurses' own
        // output buffer: a refresh sends it, then the switch back (rmcup) goes straight out, and
        // both strings are forgotten, so neither endwin nor a return from the user's editor
        // switches screens again. The screen reader keeps reading the terminal's normal screen.
        refresh();
        if (exit_ca_mode) { tputs(exit_ca_mode, 1, putchar); fflush(stdout); }
        enter_ca_mode = NULL;
        exit_ca_mode = NULL;
        clearok(curscr, TRUE);
    }
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    // The terminal's cursor is hidden, except for screen readers, which follow it.
    curs_set(screen_reader ? 1 : 0);
    if (has_colors()) {
        start_color();
        use_default_colors();
    }
    return 0;
}

void bevaka_stop(void) {
    if (curses_active) {
        curses_active = 0;
        curs_set(1);
        endwin();
    }
}

int bevaka_lines(void) { return LINES; }
int bevaka_cols(void) { return COLS; }
int bevaka_colors(void) { return COLORS; }
int bevaka_has_colors(void) { return has_colors() ? 1 : 0; }

int bevaka_get_key(int timeout_ms, wint_t *ch) {
    timeout(timeout_ms);
    return wget_wch(stdscr, ch);
}

/* A key, or ERR after timeout_ms, or ERR at once when wake_fd becomes readable (the loop's inbox
 * has a message). What ncurses has read already (the rest of an escape sequence, a resize) is
 * taken first; then the keyboard and wake_fd are waited on together. A signal (SIGWINCH) ends
 * the wait with ERR; the resize is the next call's key. */
int bevaka_get_key_or_wake(int timeout_ms, int wake_fd, wint_t *ch) {
    if (wake_fd < 0) return bevaka_get_key(timeout_ms, ch);
    timeout(0);
    int result = wget_wch(stdscr, ch);
    if (result != ERR) return result;
    struct pollfd fds[2];
    fds[0].fd = STDIN_FILENO;
    fds[0].events = POLLIN;
    fds[0].revents = 0;
    fds[1].fd = wake_fd;
    fds[1].events = POLLIN;
    fds[1].revents = 0;
    if (poll(fds, 2, timeout_ms) <= 0) return ERR;
    if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) return ERR;
    /* The keyboard has bytes: a whole key comes at once (an escape sequence within ESCDELAY). */
    timeout(50);
    return wget_wch(stdscr, ch);
}

void bevaka_put(int row, int col, const char *utf8, short pair, unsigned int attrs) {
    wchar_t wide[8];
    mbstate_t state;
    memset(&state, 0, sizeof state);
    const char *source = utf8;
    size_t count = mbsrtowcs(wide, &source, 7, &state);
    if (count == (size_t)-1) { wide[0] = L'?'; count = 1; }
    wide[count] = L'\0';
    cchar_t cell;
    setcchar(&cell, wide, (attr_t)attrs, pair, NULL);
    mvadd_wch(row, col, &cell);
}

void bevaka_clear(void) { erase(); }
void bevaka_refresh(void) { refresh(); }
void bevaka_refresh_at(int row, int col) { move(row, col); refresh(); }
void bevaka_suspend(void) { def_prog_mode(); endwin(); }
void bevaka_resume(void) { reset_prog_mode(); clearok(curscr, TRUE); refresh(); }
int bevaka_init_pair(short pair, short fg, short bg) { return init_pair(pair, fg, bg); }
unsigned int bevaka_attr_bold(void) { return A_BOLD; }
unsigned int bevaka_attr_reverse(void) { return A_REVERSE; }
unsigned int bevaka_attr_underline(void) { return A_UNDERLINE; }
unsigned int bevaka_attr_dim(void) { return A_DIM; }
int bevaka_key_resize(void) { return KEY_RESIZE; }

static void crash_handler(int sig) {
    // Restore the terminal so the shell is usable, then die the way the signal meant.
    if (curses_active) {
        curses_active = 0;
        endwin();
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void termination_handler(int sig) {
    termination_signal = sig;
}

void bevaka_install_signal_handlers(void) {
    int crashes[] = { SIGSEGV, SIGILL, SIGABRT, SIGBUS, SIGFPE, SIGTRAP };
    for (unsigned i = 0; i < sizeof crashes / sizeof crashes[0]; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = crash_handler;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESETHAND;
        sigaction(crashes[i], &action, NULL);
    }
    int terminations[] = { SIGTERM, SIGHUP };
    for (unsigned i = 0; i < sizeof terminations / sizeof terminations[0]; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = termination_handler;
        sigemptyset(&action.sa_mask);
        sigaction(terminations[i], &action, NULL);
    }
}

int bevaka_take_termination_signal(void) {
    int sig = termination_signal;
    termination_signal = 0;
    return sig;
}
