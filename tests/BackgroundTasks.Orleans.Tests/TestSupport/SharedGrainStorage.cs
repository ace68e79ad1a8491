using System.Collections.Concurrent;
using System.Text.Json;
using BackgroundTasks.Orleans;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace BackgroundTasks.Orleans.Tests.TestSupport;

/// <summary>
/// Grain storage shared by every in-process silo of a test run (a static table), so it survives a killed silo as a
/// database would. Orleans' memory storage would not: it lives in storage grains on the silos. ETags are checked.
/// </summary>
internal sealed class SharedGrainStorage : IGrainStorage
{
    private static readonly ConcurrentDictionary<GrainId, (List<string> Records, string ETag)> s_states = new();
    private static readonly Lock s_lock = new();
    private static readonly List<(Func<bool> Condition, TaskCompletionSource Done)> s_waiters = [];

    /// <summary>The stored records of a thread, parsed.</summary>
    public static IReadOnlyList<TaskSummary> Records(string ownerThreadId) =>
        s_states.TryGetValue(ThreadGrainId(ownerThreadId), out var state)
            ? [.. state.Records.Select(json => JsonSerializer.Deserialize<TaskSummary>(json)!)]
            : [];

    /// <summary>Completes once the stored records of a thread satisfy <paramref name="condition"/>.</summary>
    public static Task WhenAsync(string ownerThreadId, Func<IReadOnlyList<TaskSummary>, bool> condition)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool Check() => condition(Records(ownerThreadId));
        lock (s_lock)
        {
            if (Check())
            {
                return Task.CompletedTask;
            }

            s_waiters.Add((Check, done));
        }

        return done.Task;
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (s_states.TryGetValue(grainId, out var stored) && grainState is IGrainState<ThreadRecordsState> records)
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
        List<TaskCompletionSource> release = [];
        lock (s_lock)
        {
            var current = s_states.TryGetValue(grainId, out var stored) ? stored.ETag : null;
            if (current != grainState.ETag)
            {
                throw new InconsistentStateException("The stored ETag moved on.", current, grainState.ETag);
            }

            s_states[grainId] = ([.. records!.Records], etag);
            for (var i = s_waiters.Count - 1; i >= 0; i--)
            {
                if (s_waiters[i].Condition())
                {
                    release.Add(s_waiters[i].Done);
                    s_waiters.RemoveAt(i);
                }
            }
        }

        grainState.ETag = etag;
        grainState.RecordExists = true;
        release.ForEach(done => done.TrySetResult());
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        s_states.TryRemove(grainId, out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private static GrainId ThreadGrainId(string ownerThreadId) =>
        GrainId.Create(GrainType.Create(ThreadGrainType), ownerThreadId);

    // Orleans names a grain type after its class, lower-cased, without the "Grain" suffix.
    private const string ThreadGrainType = "backgroundtaskthread";
}
