using System.Collections.Concurrent;
using System.Text.Json;
using BackgroundTasks.Orleans;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace BackgroundTasks.Orleans.Tests.TestSupport;

/// <summary>
/// Grain storage shared by the in-process silos of one test cluster (one instance for all of them), so it survives a
/// killed silo as a database would. Orleans' memory storage would not: it lives in storage grains on the silos. ETags are checked.
/// </summary>
internal sealed class SharedGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<GrainId, (List<string> Records, string ETag)> _states = new();
    private readonly Lock _lock = new();
    private readonly ConditionWaiters<SharedGrainStorage> _waiters = new();

    /// <summary>The stored records of a thread, parsed.</summary>
    public IReadOnlyList<TaskSummary> Records(string ownerThreadId) =>
        _states.TryGetValue(ThreadGrainId(ownerThreadId), out var state)
            ? [.. state.Records.Select(json => JsonSerializer.Deserialize<TaskSummary>(json)!)]
            : [];

    /// <summary>Completes once the stored records of a thread satisfy <paramref name="condition"/>.</summary>
    public Task WhenAsync(string ownerThreadId, Func<IReadOnlyList<TaskSummary>, bool> condition)
    {
        lock (_lock)
        {
            return _waiters.Add(this, storage => condition(storage.Records(ownerThreadId)));
        }
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_states.TryGetValue(grainId, out var stored) && grainState is IGrainState<ThreadRecordsState> records)
        {
            records.State = new ThreadRecordsState { Records = [.. stored.Records] };
            records.ETag = stored.ETag;
            records.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var records = ((IGrainState<ThreadRecordsState>)grainState).State;
        var etag = Guid.NewGuid().ToString("N");
        List<TaskCompletionSource> release;
        lock (_lock)
        {
            var current = _states.TryGetValue(grainId, out var stored) ? stored.ETag : null;
            if (current != grainState.ETag)
            {
                throw new InconsistentStateException("The stored ETag moved on.", current, grainState.ETag);
            }

            _states[grainId] = ([.. records!.Records], etag);
            release = _waiters.TakeSatisfied(this);
        }

        grainState.ETag = etag;
        grainState.RecordExists = true;
        release.ForEach(done => done.TrySetResult());
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _states.TryRemove(grainId, out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private static GrainId ThreadGrainId(string ownerThreadId) =>
        GrainId.Create(GrainType.Create(ThreadGrainType), ownerThreadId);

    // Orleans names a grain type after its class, lower-cased, without the "Grain" suffix.
    private const string ThreadGrainType = "backgroundtaskthread";
}
