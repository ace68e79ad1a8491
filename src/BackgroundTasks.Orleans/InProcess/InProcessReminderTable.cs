using System.Collections.Concurrent;
using Orleans;
using Orleans.Runtime;

namespace BackgroundTasks.Orleans;

/// <summary>
/// A reminder table kept in this process's memory, for several silos hosted in one process (demos and tests): one
/// instance given to all of them outlives any one silo, as Redis or ADO.NET reminders do, so the orphan sweep of a
/// killed silo's threads still ticks on the others.
/// </summary>
/// <remarks>
/// Not for production: it dies with the process. Orleans' in-memory reminder table (<c>UseInMemoryReminderService</c>)
/// would not do here: it lives in a grain on one silo. Thread-safe.
/// </remarks>
public sealed class InProcessReminderTable : IReminderTable
{
    private readonly ConcurrentDictionary<(GrainId GrainId, string Name), ReminderEntry> _rows = new();

    /// <summary>Nothing to set up.</summary>
    /// <returns>A completed task.</returns>
    public Task Init() => Task.CompletedTask;

    /// <summary>The reminder of a grain by name, or null.</summary>
    /// <param name="grainId">The grain.</param>
    /// <param name="reminderName">The reminder's name.</param>
    /// <returns>The row, or null when there is none.</returns>
    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
        Task.FromResult(_rows.TryGetValue((grainId, reminderName), out var entry) ? entry : null);

    /// <summary>Every reminder of a grain.</summary>
    /// <param name="grainId">The grain.</param>
    /// <returns>Its rows.</returns>
    public Task<ReminderTableData> ReadRows(GrainId grainId) =>
        Task.FromResult(new ReminderTableData(_rows.Values.Where(entry => entry.GrainId == grainId).ToList()));

    /// <summary>The reminders of the grains whose hash is in Orleans' ring range (<paramref name="begin"/>, <paramref name="end"/>].</summary>
    /// <param name="begin">The range's exclusive start.</param>
    /// <param name="end">The range's inclusive end; the range wraps around when <paramref name="begin"/> is not below it.</param>
    /// <returns>The rows in range.</returns>
    public Task<ReminderTableData> ReadRows(uint begin, uint end) =>
        Task.FromResult(new ReminderTableData(_rows.Values.Where(entry => InRange(entry.GrainId.GetUniformHashCode(), begin, end)).ToList()));

    /// <summary>Removes a reminder if its ETag is the stored one.</summary>
    /// <param name="grainId">The grain.</param>
    /// <param name="reminderName">The reminder's name.</param>
    /// <param name="eTag">The ETag the caller read.</param>
    /// <returns>Whether it was removed.</returns>
    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        Task.FromResult(_rows.TryGetValue((grainId, reminderName), out var entry) && entry.ETag == eTag
            && _rows.TryRemove(new KeyValuePair<(GrainId, string), ReminderEntry>((grainId, reminderName), entry)));

    /// <summary>Removes every reminder.</summary>
    /// <returns>A completed task.</returns>
    public Task TestOnlyClearTable()
    {
        _rows.Clear();
        return Task.CompletedTask;
    }

    /// <summary>Adds or replaces a reminder, giving it a new ETag.</summary>
    /// <param name="entry">The reminder.</param>
    /// <returns>Its new ETag.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> is null.</exception>
    public Task<string?> UpsertRow(ReminderEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry.ETag = Guid.NewGuid().ToString("N");
        _rows[(entry.GrainId, entry.ReminderName)] = entry;
        return Task.FromResult<string?>(entry.ETag);
    }

    /// <summary>Orleans' ring ranges: (begin, end], wrapping around when begin is not below end.</summary>
    private static bool InRange(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;
}
