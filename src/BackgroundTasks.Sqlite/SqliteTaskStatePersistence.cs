using Microsoft.Data.Sqlite;

namespace BackgroundTasks.Sqlite;

/// <summary>
/// Keeps task records in an embedded SQLite database file: pass it to
/// <see cref="TaskStateStore.OpenAsync(ITaskStatePersistence, CancellationToken)"/> for a store that survives restarts.
/// </summary>
/// <remarks>
/// <para>
/// The file is opened on the first call (normally the store's <see cref="LoadAsync"/>) and created with its
/// schema when it does not exist. It uses write-ahead logging: a save is one transaction, durable when it
/// returns, and a process that dies at any point leaves the last committed state.
/// </para>
/// <para>
/// One store per database: opening takes an OS lock on the database file itself for as long as this object
/// lives (an exclusive <c>flock</c> on Unix, a byte-range lock on Windows), so every name of the file — a
/// symlink, a hard link, a relative path — leads to the same lock. A second opener, in this process or
/// another, gets an <see cref="IOException"/> that names the file and the holder (on Linux the kernel's lock
/// table names it; elsewhere the holder writes itself to <c>&lt;path&gt;.holder</c>). The OS releases the lock
/// when the process dies. The database's folder is created if it does not exist. Calls are serialized, so the
/// object is safe to use from several threads.
/// </para>
/// <para>
/// Like every Microsoft.Data.Sqlite call, the SQLite work itself runs synchronously on the calling flow (an
/// embedded database does no network I/O); a store calls it from its own writer flow, never from a caller's.
/// </para>
/// </remarks>
public sealed class SqliteTaskStatePersistence : ITaskStatePersistence, ITaskStateRemoval
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DatabaseLock? _lock;
    private SqliteConnection? _connection;
    private TaskRowCommands? _commands;
    private bool _disposed;

    /// <summary>Creates a persistence over the database file at <paramref name="path"/>. Nothing is opened yet.</summary>
    /// <param name="path">The database file; created with its folder-relative path resolved now.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or not a valid path.</exception>
    public SqliteTaskStatePersistence(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        DatabasePath = Path.GetFullPath(path);
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc/>
    /// <exception cref="IOException">Another store holds the database, or the file cannot be opened; the message names the file.</exception>
    /// <exception cref="InvalidDataException">The file is corrupt, not a task database, of an unknown schema version, or holds a row that cannot be read; the message names the file and the problem.</exception>
    /// <exception cref="ObjectDisposedException">This persistence is disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IReadOnlyList<TaskSummary>> LoadAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            var records = new List<TaskSummary>();
            await using var command = connection.CreateCommand();

            // seq is first-insert order (the table's own key), so the owner index comes back in spawn order.
            command.CommandText = $"SELECT {TaskRowFormat.SelectColumns}, seq FROM tasks ORDER BY seq";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            _commands!.ForgetAll();
            var seqOrdinal = reader.FieldCount - 1;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var record = TaskRowFormat.Read(reader, DatabasePath);
                _commands.Remember(record.TaskId, reader.GetInt64(seqOrdinal));
                records.Add(record);
            }

            return records;
        }
        catch (SqliteException exception)
        {
            throw SqliteErrors.Opening(DatabasePath, exception);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="changed"/> is null.</exception>
    /// <exception cref="IOException">The database cannot be opened, or cannot be written (the disk is full, the file is read-only or was moved, an I/O error); the message names the file, the records and the cause; nothing was saved.</exception>
    /// <exception cref="InvalidDataException">The file is corrupt or not a task database.</exception>
    /// <exception cref="ObjectDisposedException">This persistence is disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing was saved.</exception>
    public Task SaveAsync(IReadOnlyList<TaskSummary> changed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changed);
        return WriteAsync(changed, static records => Messages.SavingRecords(records.Select(static record => record.TaskId).ToList()),
            static (commands, records, _, token) =>
            {
                commands.Upsert(records, token);
                return Task.CompletedTask;
            }, cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="taskIds"/> is null.</exception>
    /// <exception cref="IOException">The database cannot be opened, or cannot be written (the disk is full, the file is read-only or was moved, an I/O error); the message names the file, the records and the cause; nothing was deleted.</exception>
    /// <exception cref="InvalidDataException">The file is corrupt or not a task database.</exception>
    /// <exception cref="ObjectDisposedException">This persistence is disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing was deleted.</exception>
    public Task RemoveAsync(IReadOnlyList<string> taskIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskIds);
        return WriteAsync(taskIds, static ids => Messages.RemovingRecords(ids.ToList()),
            static (commands, ids, transaction, token) => commands.DeleteAsync(ids, transaction, token), cancellationToken);
    }

    /// <summary>Closes the database (checkpointing its log) and releases the lock. Idempotent.</summary>
    /// <returns>A task that completes when the file is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await CloseAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task WriteAsync<TItems>(IReadOnlyList<TItems> items, Func<IReadOnlyList<TItems>, string> describeWork,
        Func<TaskRowCommands, IReadOnlyList<TItems>, SqliteTransaction, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Open failures come out of OpenAsync already translated ("cannot be opened"); what fails below is a write.
            var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);

            // Disposing an uncommitted transaction rolls it back: a batch is saved whole or not at all.
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await write(_commands!, items, transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                _commands!.Abandoned();
                throw;
            }

            _commands!.Committed();
        }
        catch (SqliteException exception)
        {
            throw SqliteErrors.Writing(DatabasePath, describeWork(items), exception);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The open connection; opens the file, takes the lock and prepares the schema on first use. Caller holds the gate.</summary>
    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_connection is not null)
        {
            return _connection;
        }

        _lock = DatabaseLock.Acquire(DatabasePath);
        try
        {
            // No pooling: closing must really close the file, so the next holder of the lock owns it alone.
            _connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = DatabasePath,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
            }.ToString());
            await _connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await SqliteSchema.PrepareAsync(_connection, DatabasePath, cancellationToken).ConfigureAwait(false);
            _commands = new TaskRowCommands(_connection);
            return _connection;
        }
        catch (Exception exception)
        {
            await CloseAsync().ConfigureAwait(false);
            if (exception is SqliteException sqlite)
            {
                throw SqliteErrors.Opening(DatabasePath, sqlite);
            }

            throw;
        }
    }

    private async Task CloseAsync()
    {
        if (_commands is not null)
        {
            await _commands.DisposeAsync().ConfigureAwait(false);
            _commands = null;
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }

        // The lock goes last, so no one else opens the file while it is still being closed.
        _lock?.Dispose();
        _lock = null;
    }
}
