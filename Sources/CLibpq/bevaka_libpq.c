#include "bevaka_libpq.h"
#include <dlfcn.h>
#include <pthread.h>

static void *library;
static const char *load_error;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
    library = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) load_error = dlerror();
}

int bevaka_libpq_load(const char **error) {
    pthread_once(&once, load);
    if (error != NULL) *error = library == NULL ? load_error : NULL;
    return library != NULL;
}

// Each forwarder looks its function up once (the pointer is the same whichever thread stores
// it) and is only called after bevaka_libpq_load succeeded (PGConnection.connect checks).
static void *symbol(const char *name) {
    pthread_once(&once, load);
    return library == NULL ? NULL : dlsym(library, name);
}

#define FORWARD(type, name, params, args) \
    type bevaka_##name params { \
        static type (*function) params; \
        if (function == NULL) function = (type (*) params)symbol(#name); \
        return function args; \
    }
#define FORWARD_VOID(name, params, args) \
    void bevaka_##name params { \
        static void (*function) params; \
        if (function == NULL) function = (void (*) params)symbol(#name); \
        if (function != NULL) function args; \
    }

FORWARD(PGconn *, PQconnectStart, (const char *conninfo), (conninfo))
FORWARD(PostgresPollingStatusType, PQconnectPoll, (PGconn *conn), (conn))
FORWARD(ConnStatusType, PQstatus, (const PGconn *conn), (conn))
FORWARD_VOID(PQfinish, (PGconn *conn), (conn))
FORWARD(int, PQsocket, (const PGconn *conn), (conn))
FORWARD(char *, PQerrorMessage, (const PGconn *conn), (conn))
FORWARD(char *, PQhost, (const PGconn *conn), (conn))
FORWARD(char *, PQport, (const PGconn *conn), (conn))
FORWARD(char *, PQuser, (const PGconn *conn), (conn))
FORWARD(char *, PQdb, (const PGconn *conn), (conn))
FORWARD(int, PQsslInUse, (PGconn *conn), (conn))
FORWARD(int, PQsendQueryParams,
        (PGconn *conn, const char *command, int nParams, const Oid *paramTypes, const char *const *paramValues,
         const int *paramLengths, const int *paramFormats, int resultFormat),
        (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat))
FORWARD(int, PQsendQuery, (PGconn *conn, const char *command), (conn, command))
FORWARD(int, PQflush, (PGconn *conn), (conn))
FORWARD(int, PQconsumeInput, (PGconn *conn), (conn))
FORWARD(int, PQisBusy, (PGconn *conn), (conn))
FORWARD(PGresult *, PQgetResult, (PGconn *conn), (conn))
FORWARD_VOID(PQclear, (PGresult *res), (res))
FORWARD(ExecStatusType, PQresultStatus, (const PGresult *res), (res))
FORWARD(char *, PQresultErrorField, (const PGresult *res, int fieldcode), (res, fieldcode))
FORWARD(int, PQntuples, (const PGresult *res), (res))
FORWARD(int, PQnfields, (const PGresult *res), (res))
FORWARD(char *, PQfname, (const PGresult *res, int field_num), (res, field_num))
FORWARD(int, PQgetisnull, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
FORWARD(char *, PQgetvalue, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
FORWARD(const char *, PQparameterStatus, (const PGconn *conn, const char *paramName), (conn, paramName))
FORWARD(int, PQgetlength, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
FORWARD(char *, PQcmdTuples, (PGresult *res), (res))
FORWARD(PGcancel *, PQgetCancel, (PGconn *conn), (conn))
FORWARD(int, PQcancel, (PGcancel *cancel, char *errbuf, int errbufsize), (cancel, errbuf, errbufsize))
FORWARD_VOID(PQfreeCancel, (PGcancel *cancel), (cancel))
FORWARD(PGnotify *, PQnotifies, (PGconn *conn), (conn))
FORWARD_VOID(PQfreemem, (void *ptr), (ptr))
FORWARD(PQconninfoOption *, PQconninfoParse, (const char *conninfo, char **errmsg), (conninfo, errmsg))
FORWARD_VOID(PQconninfoFree, (PQconninfoOption *connOptions), (connOptions))
