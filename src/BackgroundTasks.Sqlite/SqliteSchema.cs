using System.Globalization;
using Microsoft.Data.Sqlite;

namespace BackgroundTasks.Sqlite;

/// <summary>Creates the schema of a new task database, or checks that an existing file is one this version reads.</summary>
/// <remarks>
/// <para>
/// Version 3: <c>schema_version(version)</c> with one row, and <c>tasks</c> with the columns queries need (task
/// id, owner, status, parent task, run id, name, timestamps in Unix milliseconds), <c>json</c> with the rest of
/// the record (see <see cref="TaskRowFormat"/>), <c>seq</c>, the order in which rows were first inserted (the load
/// order), and, after <c>json</c>, <c>started_at_ms</c> (null while a task is queued) and <c>attempt</c>.
/// </para>
/// <para>
/// Version 2 had no <c>started_at_ms</c> and <c>attempt</c>. Opening such a file upgrades it in place, in one
/// transaction: the two columns are added (at the end, so a new file and an upgraded one have the same layout),
/// every row gets <c>started_at_ms = created_at_ms</c> and <c>attempt = 1</c> (true of every version-2 task: with
/// no queue and no retries, each started once, when it was spawned), and the version becomes 3. A failure rolls
/// all of it back, leaving a version-2 file. Version 1, never released, kept the whole record in <c>json</c>;
/// such a file is refused as an unknown version.
/// </para>
/// <para>
/// <c>seq</c> is the table's integer key (the rowid), and <c>task_id</c> has a unique index. A spawn appends a
/// row at the end of the table (the next seq) and adds the id to the index; every later write of the task, its
/// end above all, finds the row by seq, an integer, and leaves the index alone, since the id does not change
/// (see <see cref="TaskRowCommands"/>, which knows the seq of every row). Measured against a table keyed by
/// task id alone (<c>WITHOUT ROWID</c>, one B-tree, but every update a text search): about the same per insert
/// and a quarter less per update in SQLite, about 15 % less writer time per row in all. No index beyond those two: the library never queries SQL by owner or status
/// (a store loads every row once at open, and saves and prunes by task id), and an index on (owner, status)
/// cost about a third of every write, since every spawn inserts into it and every ending moves its entry. The
/// columns are there for people and tools that query the file; such a tool can add the index it needs, and
/// this code tolerates indexes it did not create.
/// </para>
/// </remarks>
internal static class SqliteSchema
{
    public const int Version = 3;

    /// <summary>The version this code upgrades in place (see the remarks).</summary>
    private const int UpgradableVersion = 2;

    private const string CreateSql = """
        CREATE TABLE schema_version (version INTEGER NOT NULL);
        INSERT INTO schema_version (version) VALUES (3);
        CREATE TABLE tasks (
            seq             INTEGER PRIMARY KEY,
            task_id         TEXT    NOT NULL UNIQUE,
            owner_thread_id TEXT    NOT NULL,
            status          TEXT    NOT NULL,
            parent_task_id  TEXT,
            run_id          TEXT,
            name            TEXT,
            created_at_ms   INTEGER NOT NULL,
            completed_at_ms INTEGER,
            json            TEXT    NOT NULL,
            started_at_ms   INTEGER,
            attempt         INTEGER NOT NULL DEFAULT 0
        );
        """;

    private const string UpgradeFrom2Sql = """
        ALTER TABLE tasks ADD COLUMN started_at_ms INTEGER;
        ALTER TABLE tasks ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0;
        UPDATE tasks SET started_at_ms = created_at_ms, attempt = 1;
        UPDATE schema_version SET version = 3;
        """;

    /// <summary>Sets the journal and sync modes, then creates or checks the schema.</summary>
    /// <exception cref="InvalidDataException">The file is not a task database of a version this code reads.</exception>
    /// <exception cref="SqliteException">SQLite refused the file (for example, it is not a database at all).</exception>
    public static async Task PrepareAsync(SqliteConnection connection, string path, CancellationToken cancellationToken)
    {
        // WAL: a commit appends to the log, readers never block the writer, and a crash mid-write leaves the
        // last committed state. NORMAL sync in WAL mode loses nothing when the process dies; only a power cut
        // or an OS crash can roll back the last commits (FULL would fsync every commit to close that too).
        // Checkpoints (copying the log into the file) run inside a commit; every 4000 pages (16 MB) rather than
        // SQLite's 1000, so a burst of writes pays for fewer of them.
        await ExecuteAsync(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 4000;",
            cancellationToken).ConfigureAwait(false);

        var tables = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tables.Add(reader.GetString(0));
            }
        }

        if (!tables.Contains("schema_version"))
        {
            if (tables.Count > 0)
            {
                throw new InvalidDataException(Messages.NotATaskDatabase(path));
            }

            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, CreateSql, cancellationToken, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var versions = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT version FROM schema_version";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                versions.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture) ?? "null");
            }
        }

        var upgrade = versions.Count == 1 && versions[0] == UpgradableVersion.ToString(CultureInfo.InvariantCulture);
        if (!upgrade && (versions.Count != 1 || versions[0] != Version.ToString(CultureInfo.InvariantCulture)))
        {
            var found = versions.Count == 0 ? "(none)" : string.Join(", ", versions);
            throw new InvalidDataException(Messages.UnknownSchemaVersion(path, found, Version));
        }

        if (!tables.Contains("tasks"))
        {
            throw new InvalidDataException(Messages.MissingTasksTable(path));
        }

        if (upgrade)
        {
            // The database lock is held, so no other store can open the file meanwhile; the transaction makes the
            // upgrade all or nothing should the process die or the disk fill up halfway.
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, UpgradeFrom2Sql, cancellationToken, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken,
        SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
