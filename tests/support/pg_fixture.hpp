// TempPostgres: a private, throwaway PostgreSQL server for db-labelled tests.
// initdb into a fresh temp dir, postgres on a Unix socket only (no TCP), fsync
// off; removed again at exit. Run as root (CI), the server runs as the system
// user `pillarbox`, since PostgreSQL refuses to run as root.
#pragma once

#include <sys/types.h>

#include <mutex>
#include <string>

namespace pillarbox::test {

class TempPostgres {
 public:
  // The server of this process, started on first use (throws
  // std::runtime_error with the reason and the server's log when it cannot
  // start), stopped and removed at exit. Call it first from the main thread:
  // the server is told to quit when the thread that started it ends, so a
  // crashed test leaves no server behind.
  static TempPostgres& shared();

  // Starts a server of its own; prefer shared(). Throws std::runtime_error.
  // The binaries come from $PILLARBOX_PG_BINDIR, `pg_config --bindir` or the
  // newest /usr/lib/postgresql/*/bin. The database "pillarbox" exists.
  TempPostgres();
  ~TempPostgres();
  TempPostgres(const TempPostgres&) = delete;
  TempPostgres& operator=(const TempPostgres&) = delete;

  // libpq keyword form: "host=DIR/run dbname=DBNAME user=pillarbox".
  std::string conninfo(const std::string& dbname = "pillarbox") const;

  // Creates an empty database with a unique name; returns its conninfo.
  // Thread-safe. Throws std::runtime_error.
  std::string create_database();

  // The postmaster's pid (tests may signal it); -1 once stopped.
  pid_t postmaster_pid() const { return pid_; }

  // Fast shutdown (SIGINT, then SIGKILL after 30 s) and removal of the temp
  // dir. Idempotent; never throws.
  void stop();

 private:
  std::string dir_;         // the temp dir: pg/ (data), run/ (socket), *.log
  pid_t pid_ = -1;
  std::mutex mutex_;        // guards counter_ and database creation
  int counter_ = 0;
};

}  // namespace pillarbox::test
