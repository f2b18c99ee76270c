// libpq, PostgreSQL's own client library, for the shared store — loaded when the shared store
// is first used (dlopen of libpq.so.5), not at start: libpq brings some 25 libraries (TLS,
// Kerberos, LDAP) whose loading would double the start-up of every command on a file store.
// The declarations are libpq-fe.h's (Debian's libpq-dev); each bevaka_PQ… calls libpq's PQ….
#ifndef BEVAKA_LIBPQ_H
#define BEVAKA_LIBPQ_H
#include <postgresql/libpq-fe.h>

/// 1 when libpq could be loaded (libpq.so.5, Debian's libpq5); 0 and the loader's message otherwise.
int bevaka_libpq_load(const char **error);

PGconn *bevaka_PQconnectStart(const char *conninfo);
PostgresPollingStatusType bevaka_PQconnectPoll(PGconn *conn);
ConnStatusType bevaka_PQstatus(const PGconn *conn);
void bevaka_PQfinish(PGconn *conn);
int bevaka_PQsocket(const PGconn *conn);
char *bevaka_PQerrorMessage(const PGconn *conn);
char *bevaka_PQhost(const PGconn *conn);
char *bevaka_PQport(const PGconn *conn);
char *bevaka_PQuser(const PGconn *conn);
char *bevaka_PQdb(const PGconn *conn);
int bevaka_PQsslInUse(PGconn *conn);
int bevaka_PQsendQueryParams(PGconn *conn, const char *command, int nParams, const Oid *paramTypes,
                             const char *const *paramValues, const int *paramLengths, const int *paramFormats,
                             int resultFormat);
int bevaka_PQsendQuery(PGconn *conn, const char *command);
int bevaka_PQflush(PGconn *conn);
int bevaka_PQconsumeInput(PGconn *conn);
int bevaka_PQisBusy(PGconn *conn);
PGresult *bevaka_PQgetResult(PGconn *conn);
void bevaka_PQclear(PGresult *res);
ExecStatusType bevaka_PQresultStatus(const PGresult *res);
char *bevaka_PQresultErrorField(const PGresult *res, int fieldcode);
int bevaka_PQntuples(const PGresult *res);
int bevaka_PQnfields(const PGresult *res);
char *bevaka_PQfname(const PGresult *res, int field_num);
int bevaka_PQgetisnull(const PGresult *res, int tup_num, int field_num);
char *bevaka_PQgetvalue(const PGresult *res, int tup_num, int field_num);
const char *bevaka_PQparameterStatus(const PGconn *conn, const char *paramName);
int bevaka_PQgetlength(const PGresult *res, int tup_num, int field_num);
char *bevaka_PQcmdTuples(PGresult *res);
PGcancel *bevaka_PQgetCancel(PGconn *conn);
int bevaka_PQcancel(PGcancel *cancel, char *errbuf, int errbufsize);
void bevaka_PQfreeCancel(PGcancel *cancel);
PGnotify *bevaka_PQnotifies(PGconn *conn);
void bevaka_PQfreemem(void *ptr);
PQconninfoOption *bevaka_PQconninfoParse(const char *conninfo, char **errmsg);
void bevaka_PQconninfoFree(PQconninfoOption *connOptions);
#endif
