using System.Collections.Concurrent;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace BackgroundTasks.Orleans;

/// <summary>
/// Thread records kept in this process's memory, for several silos hosted in one process (demos and tests): one
/// instance given to all of them outlives any one silo, as a database would, and dies with the process.
/// </summary>
/// <remarks>
/// <para>
/// Not for production: nothing is written to disk, and silos in other processes cannot see it. Orleans' own memory
/// storage (<c>AddMemoryGrainStorage</c>) would not do here either: it lives in storage grains on the silos, so a
/// killed silo takes its share of the records with it.
/// </para>
/// <para>
/// It keeps the state of thread grains (<see cref="ThreadRecordsState"/>) only, copied on every read and write, and
/// checks ETags as a real provider does: a write whose ETag is not the stored one fails with
/// <see cref="InconsistentStateException"/>. Thread-safe.
/// </para>
/// </remarks>
public sealed class InProcessGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<GrainId, (List<string> Records, string ETag)> _states = new();
    private readonly Lock _lock = new();

    /// <summary>Reads the stored records of a grain into <paramref name="grainState"/>; leaves it as it is when there are none.</summary>
    /// <typeparam name="T">The state type: <see cref="ThreadRecordsState"/>.</typeparam>
    /// <param name="stateName">The state's name (one state per grain is kept, whatever its name).</param>
    /// <param name="grainId">The grain.</param>
    /// <param name="grainState">Receives the records and their ETag.</param>
    /// <returns>A completed task.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="grainState"/> is null.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not <see cref="ThreadRecordsState"/>.</exception>
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var records = Records(grainState);
        if (_states.TryGetValue(grainId, out var stored))
        {
            records.State = new ThreadRecordsState { Records = [.. stored.Records] };
            records.ETag = stored.ETag;
            records.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    /// <summary>Stores a copy of the records in <paramref name="grainState"/> if its ETag is the stored one, and gives it the new ETag.</summary>
    /// <typeparam name="T">The state type: <see cref="ThreadRecordsState"/>.</typeparam>
    /// <param name="stateName">The state's name.</param>
    /// <param name="grainId">The grain.</param>
    /// <param name="grainState">The records to store, and the ETag they were read with.</param>
    /// <returns>A completed task.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="grainState"/> is null.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not <see cref="ThreadRecordsState"/>.</exception>
    /// <exception cref="InconsistentStateException">Another write moved the stored ETag on since this state was read.</exception>
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var records = Records(grainState);
        var etag = Guid.NewGuid().ToString("N");
        lock (_lock)
        {
            var current = _states.TryGetValue(grainId, out var stored) ? stored.ETag : null;
            if (current != records.ETag)
            {
                throw new InconsistentStateException(OrleansMessages.ETagMoved(grainId.ToString()), current, records.ETag);
            }

            _states[grainId] = ([.. records.State?.Records ?? []], etag);
        }

        records.ETag = etag;
        records.RecordExists = true;
        return Task.CompletedTask;
    }

    /// <summary>Removes the stored records of a grain.</summary>
    /// <typeparam name="T">The state type: <see cref="ThreadRecordsState"/>.</typeparam>
    /// <param name="stateName">The state's name.</param>
    /// <param name="grainId">The grain.</param>
    /// <param name="grainState">Cleared: no ETag, no record.</param>
    /// <returns>A completed task.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="grainState"/> is null.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not <see cref="ThreadRecordsState"/>.</exception>
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var records = Records(grainState);
        _states.TryRemove(grainId, out _);
        records.ETag = null;
        records.RecordExists = false;
        return Task.CompletedTask;
    }

    private static IGrainState<ThreadRecordsState> Records<T>(IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        return grainState as IGrainState<ThreadRecordsState>
            ?? throw new NotSupportedException(OrleansMessages.InProcessStateOnly(typeof(T).Name));
    }
}
