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
/// A save is atomic and costs what it changes: it replaces the changed records in the state in place (a new task id
/// is appended and given its position), hands the state to the provider, and if the provider fails puts back the
/// records, positions and ETag it replaced (<see cref="SaveUndo"/>), so the state is as it was before the save. The
/// provider still writes the whole state (every record of the thread) on each save: that is the layout, one grain
/// state per thread. Providers copy or serialize the state during the write and keep no reference to it, as
/// Orleans' own do.
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
        state.State.Records ??= [];
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

        var undo = new SaveUndo((_state.State ??= new ThreadRecordsState()).Records, _positions, _state.ETag, _state.RecordExists);
        try
        {
            foreach (var summary in changed)
            {
                undo.Put(summary.TaskId, JsonSerializer.Serialize(summary));
            }
        }
        catch
        {
            undo.Revert(_state);
            throw;
        }

        try
        {
            await _storage.WriteStateAsync(StateName, _grainId, _state, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // The provider refused (or never got) the state: put it back as it was, ETag included, so that the next
            // save (a retry, or the writer's halves of this batch) starts from what is stored.
            undo.Revert(_state);
            if (exception is OperationCanceledException)
            {
                throw;
            }

            throw new IOException(OrleansMessages.StorageWriteFailed(_ownerThreadId, exception.Message), exception);
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
