// libpq, PostgreSQL's own client library (Debian's libpq-dev), for the shared store.
#ifndef BEVAKA_LIBPQ_H
#define BEVAKA_LIBPQ_H
#include <postgresql/libpq-fe.h>

/// Whether this libpq was built with GSSAPI (Kerberos) support: 1 or 0.
int bevaka_libpq_has_gssapi(void);
#endif
