#include "bevaka_libpq.h"
#include <string.h>

int bevaka_libpq_has_gssapi(void) {
    PQconninfoOption *options = PQconndefaults();
    int found = 0;
    if (options == NULL) return 0;
    for (PQconninfoOption *option = options; option->keyword != NULL; option++) {
        if (strcmp(option->keyword, "gssencmode") == 0) { found = 1; break; }
    }
    PQconninfoFree(options);
    return found;
}
