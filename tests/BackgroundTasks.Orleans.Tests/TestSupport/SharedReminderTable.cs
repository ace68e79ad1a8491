using System.Collections.Concurrent;
using Orleans;
using Orleans.Runtime;

namespace BackgroundTasks.Orleans.Tests.TestSupport;

/// <summary>
/// A reminder table shared by every in-process silo (a static table), so reminders survive a killed silo as they do
/// in Redis or ADO.NET. Orleans' in-memory reminder table would not: it lives in a grain on one silo.
/// </summary>
internal sealed class SharedReminderTable : IReminderTable
{
    private static readonly ConcurrentDictionary<(GrainId GrainId, string Name), ReminderEntry> s_rows = new();

    public Task Init() => Task.CompletedTask;

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
        Task.FromResult(s_rows.TryGetValue((grainId, reminderName), out var entry) ? entry : null);

    public Task<ReminderTableData> ReadRows(GrainId grainId) =>
        Task.FromResult(new ReminderTableData(s_rows.Values.Where(entry => entry.GrainId == grainId).ToList()));

    public Task<ReminderTableData> ReadRows(uint begin, uint end) =>
        Task.FromResult(new ReminderTableData(s_rows.Values.Where(entry => InRange(entry.GrainId.GetUniformHashCode(), begin, end)).ToList()));

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        Task.FromResult(s_rows.TryGetValue((grainId, reminderName), out var entry) && entry.ETag == eTag
            && s_rows.TryRemove(new KeyValuePair<(GrainId, string), ReminderEntry>((grainId, reminderName), entry)));

    public Task TestOnlyClearTable()
    {
        s_rows.Clear();
        return Task.CompletedTask;
    }

    public Task<string?> UpsertRow(ReminderEntry entry)
    {
        entry.ETag = Guid.NewGuid().ToString("N");
        s_rows[(entry.GrainId, entry.ReminderName)] = entry;
        return Task.FromResult<string?>(entry.ETag);
    }

    /// <summary>Orleans' ring ranges: (begin, end], wrapping around when begin is not below end.</summary>
    private static bool InRange(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;
}
