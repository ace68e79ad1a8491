using BackgroundTasks.Orleans.Tests.TestSupport;
using BackgroundTasks.Tests.TestSupport;
using Orleans;
using Orleans.Runtime;

namespace BackgroundTasks.Orleans.Tests.Grain;

/// <summary>
/// The thread grain's keep-alive: held while a task is live, released as soon as the last one ends (not at a sweep
/// tick), held again by the next spawn. Its own cluster, because forcing idle collection reaches every activation.
/// </summary>
public sealed class ThreadKeepAliveTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private readonly ClusterFixture _fixture = fixture;

    [Fact]
    public async Task LastTaskEnded_ReleasesTheKeepAliveAtOnce_SoTheThreadIsCollectedForIdleness()
    {
        var thread = ClusterFixture.NewThreadId("idle");
        var grain = _fixture.Client.GetBackgroundTaskThread(thread);
        var management = _fixture.Client.GetGrain<IManagementGrain>(0);
        var id = await grain.SpawnAsync("wait", null, "keeps the thread alive", TaskParentContext.None, default);
        Assert.True(_fixture.Cluster.TryGetGrainContext(grain.GetGrainId(), out var activation));
        var watch = Assert.IsType<BackgroundTaskThreadGrain>(activation.GrainInstance).IdleWatch;

        // Collecting every activation idle for no time at all spares this one: its task is live.
        await management.ForceActivationCollection(TimeSpan.Zero);
        Assert.False(activation.Deactivated.IsCompleted);
        Assert.False(watch.IsCompleted);

        await grain.CancelAsync(id);
        await _fixture.Client.WaitAsync(thread, id).Guarded();

        // The watch armed by the spawn releases the keep-alive when the manager goes idle, not at a sweep tick.
        await watch.Guarded();
        await management.ForceActivationCollection(TimeSpan.Zero);
        Assert.True(activation.Deactivated.IsCompleted);
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await grain.GetAsync(id))!.Status);
    }

    [Fact]
    public async Task SpawnAfterIdle_KeepsTheThreadAliveAgain()
    {
        var thread = ClusterFixture.NewThreadId("rearm");
        var grain = _fixture.Client.GetBackgroundTaskThread(thread);
        var management = _fixture.Client.GetGrain<IManagementGrain>(0);
        var first = await grain.SpawnAsync("echo", null, "ends at once", TaskParentContext.None, TestBodies.Json("1"));
        await _fixture.Client.WaitAsync(thread, first).Guarded();
        Assert.True(_fixture.Cluster.TryGetGrainContext(grain.GetGrainId(), out var activation));
        await Assert.IsType<BackgroundTaskThreadGrain>(activation.GrainInstance).IdleWatch.Guarded();

        var second = await grain.SpawnAsync("wait", null, "keeps the thread alive", TaskParentContext.None, default);
        await management.ForceActivationCollection(TimeSpan.Zero);

        Assert.False(activation.Deactivated.IsCompleted);
        await grain.CancelAsync(second);
        await _fixture.Client.WaitAsync(thread, second).Guarded();
    }
}
