using System.Text.Json;
using BackgroundTasks.Orleans;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace BackgroundTasks.Orleans.Tests.TestSupport;

/// <summary>
/// The in-process grain storage shared by the silos of one test cluster (<see cref="InProcessGrainStorage"/>, so it
/// survives a killed silo as a database would), with what tests need on top: the stored records of a thread, and a
/// wait for them to reach a state.
/// </summary>
internal sealed class SharedGrainStorage : IGrainStorage
{
    private readonly InProcessGrainStorage _storage = new();
    private readonly Lock _lock = new();
    private readonly ConditionWaiters<SharedGrainStorage> _waiters = new();

    /// <summary>The stored records of a thread, parsed.</summary>
    public IReadOnlyList<TaskSummary> Records(string ownerThreadId)
    {
        var state = new GrainState<ThreadRecordsState>(new ThreadRecordsState());
        _storage.ReadStateAsync(GrainStorageTaskPersistence.StateName, ThreadGrainId(ownerThreadId), state).GetAwaiter().GetResult();
        return [.. state.State!.Records.Select(json => JsonSerializer.Deserialize<TaskSummary>(json)!)];
    }

    /// <summary>Completes once the stored records of a thread satisfy <paramref name="condition"/>.</summary>
    public Task WhenAsync(string ownerThreadId, Func<IReadOnlyList<TaskSummary>, bool> condition)
    {
        lock (_lock)
        {
            return _waiters.Add(this, storage => condition(storage.Records(ownerThreadId)));
        }
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _storage.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await _storage.WriteStateAsync(stateName, grainId, grainState);
        List<TaskCompletionSource> release;
        lock (_lock)
        {
            release = _waiters.TakeSatisfied(this);
        }

        release.ForEach(done => done.TrySetResult());
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _storage.ClearStateAsync(stateName, grainId, grainState);

    private static GrainId ThreadGrainId(string ownerThreadId) =>
        GrainId.Create(GrainType.Create(ThreadGrainType), ownerThreadId);

    // Orleans names a grain type after its class, lower-cased, without the "Grain" suffix.
    private const string ThreadGrainType = "backgroundtaskthread";
}
