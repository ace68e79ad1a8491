using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace BackgroundTasks.Orleans.Tests.Storage;

/// <summary>
/// A grain storage whose next write fails once when armed, after scribbling over the state's ETag as a careless
/// provider might; every other call goes to the inner storage.
/// </summary>
internal sealed class FailingOnceGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private bool _failNext;

    /// <summary>The message of the failure the next write throws.</summary>
    public const string FailureMessage = "The storage is down.";

    /// <summary>Makes the next write fail.</summary>
    public void FailNextWrite() => _failNext = true;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_failNext)
        {
            _failNext = false;
            grainState.ETag = "scribbled";
            grainState.RecordExists = !grainState.RecordExists;
            throw new TimeoutException(FailureMessage);
        }

        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
