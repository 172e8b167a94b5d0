// libedit (BSD-licensed) through its readline-compatible interface: line editing
// and history for the REPL. Debian: libedit-dev.
#include <stdio.h>
#include <editline/readline.h>
