// The ncurses shim: the wide API switched on, and functions for what Swift cannot import
// (attribute macros, mutable globals) or must not do itself (signal handlers).
#ifndef BEVAKA_CURSES_H
#define BEVAKA_CURSES_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/// setlocale, initscr, raw, noecho, keypad, set_escdelay(25), colours. Returns 0 on success.
int bevaka_start(int screen_reader);
void bevaka_stop(void);
int bevaka_lines(void);
int bevaka_cols(void);
int bevaka_colors(void);
int bevaka_has_colors(void);
/// Reads one key with a timeout in ms: returns ERR, OK (a character in *ch) or KEY_CODE_YES (a key code).
int bevaka_get_key(int timeout_ms, wint_t *ch);
int bevaka_get_key_or_wake(int timeout_ms, int wake_fd, wint_t *ch);
/// Draws one grapheme (as UTF-8) at row, col with a colour pair and attributes.
void bevaka_put(int row, int col, const char *utf8, short pair, unsigned int attrs);
void bevaka_clear(void);
void bevaka_refresh(void);
void bevaka_refresh_at(int row, int col);
/* Leave curses for another program on the terminal, and come back (the screen is redrawn). */
void bevaka_suspend(void);
void bevaka_resume(void);
int bevaka_init_pair(short pair, short fg, short bg);
unsigned int bevaka_attr_bold(void);
unsigned int bevaka_attr_reverse(void);
unsigned int bevaka_attr_underline(void);
unsigned int bevaka_attr_dim(void);
int bevaka_key_resize(void);
/// Restores the terminal and re-raises on SIGSEGV, SIGILL, SIGABRT, SIGBUS, SIGFPE, SIGTRAP;
/// records SIGTERM and SIGHUP for the main loop to handle.
void bevaka_install_signal_handlers(void);
/// The termination signal received since the last call (SIGTERM, SIGHUP), or 0.
int bevaka_take_termination_signal(void);

#endif
