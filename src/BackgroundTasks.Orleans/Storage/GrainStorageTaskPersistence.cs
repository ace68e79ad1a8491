using System.Text.Json;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace BackgroundTasks.Orleans;

/// <summary>A thread's records in an Orleans grain storage provider: one state per thread grain, written whole.</summary>
/// <remarks>
/// <para>
/// The core's store writer calls <see cref="SaveAsync"/> from the thread pool, one batch at a time (a single
/// writer), and awaits it before a spawn returns or a terminal event is sent. It calls the provider directly rather
/// than hopping onto the grain's scheduler: <see cref="IGrainStorage"/> is a silo service, not activation state, and
/// a hop would queue the write behind the very grain call (a spawn) that waits for it. This class owns the state
/// object and its ETag, so Orleans' optimistic concurrency still guards the record: a stale activation (one on a
/// silo the cluster has declared dead) fails its writes with <see cref="InconsistentStateException"/> instead of
/// overwriting the records of the activation that replaced it.
/// </para>
/// <para>
/// A save is atomic: the merged state is written as a new object, and adopted only once the provider accepted it.
/// </para>
/// </remarks>
internal sealed class GrainStorageTaskPersistence : ITaskStatePersistence
{
    /// <summary>The state name under which every thread grain stores its records.</summary>
    internal const string StateName = "backgroundtasks";

    private readonly IGrainStorage _storage;
    private readonly GrainId _grainId;
    private readonly string _ownerThreadId;
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);
    private GrainState<ThreadRecordsState> _state = new(new ThreadRecordsState());
    private volatile bool _fenced;

    public GrainStorageTaskPersistence(IGrainStorage storage, GrainId grainId, string ownerThreadId)
    {
        _storage = storage;
        _grainId = grainId;
        _ownerThreadId = ownerThreadId;
    }

    public async Task<IReadOnlyList<TaskSummary>> LoadAsync(CancellationToken cancellationToken = default)
    {
        var state = new GrainState<ThreadRecordsState>(new ThreadRecordsState());
        try
        {
            await _storage.ReadStateAsync(StateName, _grainId, state, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new IOException(OrleansMessages.StorageReadFailed(_ownerThreadId, exception.Message), exception);
        }

        state.State ??= new ThreadRecordsState();
        var records = new List<TaskSummary>(state.State.Records.Count);
        for (var i = 0; i < state.State.Records.Count; i++)
        {
            var record = Parse(state.State.Records[i], i);

            // Nothing runs before the store is open, so a Queued record has no live body either. The core orphans
            // loaded Running records; presenting Queued ones as Running gives them the same fate.
            records.Add(record.Status == BackgroundTaskStatus.Queued ? record with { Status = BackgroundTaskStatus.Running } : record);
            _positions[record.TaskId] = i;
        }

        _state = state;
        return records;
    }

    /// <summary>
    /// Refuses every later save: the activation is being torn down without grace, so what its bodies do from now on
    /// must not reach the records. They stay as they are, and the next activation orphans the live ones.
    /// </summary>
    public void Fence() => _fenced = true;

    public async Task SaveAsync(IReadOnlyList<TaskSummary> changed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changed);
        if (_fenced)
        {
            throw new IOException(OrleansMessages.Fenced(_ownerThreadId));
        }

        var records = new List<string>(_state.State?.Records ?? []);
        var positions = new Dictionary<string, int>(_positions, StringComparer.Ordinal);
        foreach (var summary in changed)
        {
            var json = JsonSerializer.Serialize(summary);
            if (positions.TryGetValue(summary.TaskId, out var position))
            {
                records[position] = json;
            }
            else
            {
                positions[summary.TaskId] = records.Count;
                records.Add(json);
            }
        }

        var next = new GrainState<ThreadRecordsState>(new ThreadRecordsState { Records = records }, _state.ETag) { RecordExists = _state.RecordExists };
        try
        {
            await _storage.WriteStateAsync(StateName, _grainId, next, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new IOException(OrleansMessages.StorageWriteFailed(_ownerThreadId, exception.Message), exception);
        }

        _state = next;
        foreach (var (taskId, position) in positions)
        {
            _positions[taskId] = position;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private TaskSummary Parse(string json, int position)
    {
        try
        {
            return JsonSerializer.Deserialize<TaskSummary>(json)
                ?? throw new InvalidDataException(OrleansMessages.RecordUnreadable(_ownerThreadId, position, "it is null"));
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException(OrleansMessages.RecordUnreadable(_ownerThreadId, position, exception.Message), exception);
        }
    }
}
