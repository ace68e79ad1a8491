using BackgroundTasks.Orleans;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace BackgroundTasks.Benchmarks.Orleans;

/// <summary>
/// Counts the writes that reach a grain storage and the records they carry (a thread grain writes its whole state on
/// every save): load-independent signals of what a spawn costs in storage round trips and bytes.
/// </summary>
internal sealed class CountingGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private long _writes;
    private long _recordsWritten;

    /// <summary>Writes so far.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Records carried by those writes (each write carries every record of its thread).</summary>
    public long RecordsWritten => Interlocked.Read(ref _recordsWritten);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Interlocked.Increment(ref _writes);
        if (grainState.State is ThreadRecordsState records)
        {
            Interlocked.Add(ref _recordsWritten, records.Records.Count);
        }

        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
