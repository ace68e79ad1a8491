using System.Collections.Concurrent;
using System.Globalization;

namespace BackgroundTasks.Benchmarks;

/// <summary>
/// The floor: the least a tracked task can cost. <c>Task.Run</c> of the body, a record per task in a
/// <see cref="ConcurrentDictionary{TKey, TValue}"/> and a <see cref="CancellationTokenSource"/> per task,
/// the record replaced by its terminal one on completion.
/// </summary>
internal sealed class FloorRuntime
{
    private readonly ConcurrentDictionary<string, FloorRecord> _records = new(StringComparer.Ordinal);
    private long _lastId = -1;

    public int Count => _records.Count;

    public Task SpawnAsync(Func<CancellationToken, Task<TaskResult>> body)
    {
        var id = "bg_" + Interlocked.Increment(ref _lastId).ToString(CultureInfo.InvariantCulture);
        var cancellation = new CancellationTokenSource();
        _records[id] = new FloorRecord(id, BackgroundTaskStatus.Running, cancellation);
        return Task.Run(async () =>
        {
            var result = await body(cancellation.Token).ConfigureAwait(false);
            _records[id] = new FloorRecord(id, result.Status, null);
        });
    }

    public async Task SpawnAndAwaitAllAsync(int count)
    {
        var tasks = new Task[count];
        for (var i = 0; i < count; i++)
        {
            tasks[i] = SpawnAsync(static _ => Workload.RawBodyAsync());
        }

        await Task.WhenAll(tasks);
    }
}
