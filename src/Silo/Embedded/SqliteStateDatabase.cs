using Microsoft.Data.Sqlite;

namespace Sweep.Silo.Embedded;

/// <summary>
/// The embedded silo's durable state: one SQLite file (write-ahead log, so a killed process loses
/// no committed write) holding grain state and reminders.
/// </summary>
public sealed class SqliteStateDatabase
{
    public const string FileName = "sweep-state.db";

    private readonly string _connectionString;

    public SqliteStateDatabase(string directory)
    {
        Directory.CreateDirectory(directory);
        Path = System.IO.Path.Combine(directory, FileName);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS grain_state (
                provider TEXT NOT NULL, grain_id TEXT NOT NULL, state_name TEXT NOT NULL,
                etag INTEGER NOT NULL, data BLOB NOT NULL, updated_at TEXT NOT NULL,
                PRIMARY KEY (provider, grain_id, state_name));
            CREATE TABLE IF NOT EXISTS reminders (
                service_id TEXT NOT NULL, grain_id TEXT NOT NULL, name TEXT NOT NULL, grain_hash INTEGER NOT NULL,
                start_at INTEGER NOT NULL, period INTEGER NOT NULL, etag TEXT NOT NULL,
                PRIMARY KEY (service_id, grain_id, name));
            CREATE INDEX IF NOT EXISTS reminders_by_hash ON reminders (service_id, grain_hash);
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> off the caller's scheduler (SQLite calls block).</summary>
    public Task<T> RunAsync<T>(Func<SqliteConnection, T> work) => Task.Run(() =>
    {
        using var connection = Open();
        return work(connection);
    });
}
