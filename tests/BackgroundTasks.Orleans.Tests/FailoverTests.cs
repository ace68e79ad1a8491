using Xunit.Abstractions;
using BackgroundTasks.Orleans.Tests.TestSupport;
using Orleans.Runtime;

namespace BackgroundTasks.Orleans.Tests;

/// <summary>What becomes of a thread's tasks when the silo hosting it dies, or stops gracefully.</summary>
/// <remarks>Its own cluster: these tests take silos away.</remarks>
public sealed class FailoverTests(ClusterFixture fixture, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    private readonly ClusterFixture _fixture = fixture;
    private readonly ITestOutputHelper _output = output;

    [Fact]
    public async Task KillSiloAsync_HostOfLiveTasks_OrphansTheirRecordsOnAnotherSilo_AndIdsContinue()
    {
        var observedThread = ClusterFixture.NewThreadId("observed");
        var observedGrain = _fixture.Client.GetBackgroundTaskThread(observedThread);
        var first = await observedGrain.SpawnAsync("wait", "w", "runs until cancelled", TaskParentContext.None, default);
        var second = await observedGrain.SpawnAgentAsync("listener", null, "waits for a message", TaskParentContext.None, default);
        var host = await _fixture.HostOfAsync(observedThread);
        var quietThread = await ThreadHostedOnAsync(host);
        var quiet = await _fixture.Client.GetBackgroundTaskThread(quietThread).SpawnAsync("wait", null, "nobody calls", TaskParentContext.None, default);
        using var observed = new ObservedThread(_fixture.Client.ConnectThread(observedThread));
        using var events = new ObservedEvents(_fixture.Client.ObserveThreadEvents(observedThread, afterSequence: 0));
        await observed.WhenAsync(view => view.Count == 2).WaitAsync(ClusterFixture.FailoverGuard);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await _fixture.Cluster.KillSiloAsync(_fixture.Cluster.Silos.Single(silo => silo.SiloAddress == host));
        _output.WriteLine($"killed after {clock.Elapsed}");

        // The quiet thread gets no call at all: only its reminder can bring it back.
        await _fixture.Storage.WhenAsync(quietThread, records => records.Single().Status == BackgroundTaskStatus.Failed)
            .WaitAsync(ClusterFixture.FailoverGuard);
        _output.WriteLine($"quiet orphaned after {clock.Elapsed}");
        await observed.WhenAsync(view => view.Values.All(IsOrphan)).WaitAsync(ClusterFixture.FailoverGuard);
        _output.WriteLine($"observed orphans after {clock.Elapsed}");

        Assert.True(IsOrphan(_fixture.Storage.Records(quietThread).Single(record => record.TaskId == quiet)));
        Assert.All(_fixture.Storage.Records(observedThread), record => Assert.True(IsOrphan(record)));
        var next = await observedGrain.SpawnAsync("wait", "w", "the name is free again", TaskParentContext.None, default);
        _output.WriteLine($"spawned after {clock.Elapsed}");
        Assert.Equal(("bg_0", "bg_1", "bg_2"), (first, second, next));
        Assert.NotEqual(host, await _fixture.HostOfAsync(observedThread));

        // Events are per activation: the stream subscribed before the kill goes on with the new activation's.
        var echo = await observedGrain.SpawnAsync("echo", null, "after the failover", TaskParentContext.None, TestBodies.Json("3"));
        await events.WhenAsync(seen => seen.Any(e => e is TaskEvent.Completed c && c.TaskId == echo)).WaitAsync(ClusterFixture.FailoverGuard);
        Assert.Equal(1, events.Events.Single(e => e.TaskId == echo).Sequence);
        Assert.NotEqual(host, await _fixture.HostOfAsync(quietThread));
        await observedGrain.CancelAllAsync();
    }

    [Fact]
    public async Task StopSiloAsync_HostOfLiveTasks_CancelsThemAndStoresTheirTerminalRecords()
    {
        var thread = ClusterFixture.NewThreadId("graceful");
        var grain = _fixture.Client.GetBackgroundTaskThread(thread);
        var task = await grain.SpawnAsync("wait", null, "runs until cancelled", TaskParentContext.None, default);
        var agent = await grain.SpawnAgentAsync("listener", null, "waits for a message", TaskParentContext.None, default);
        var host = await _fixture.HostOfAsync(thread);
        using var observed = new ObservedThread(_fixture.Client.ConnectThread(thread));
        await observed.WhenAsync(view => view.Count == 2).WaitAsync(ClusterFixture.FailoverGuard);

        await _fixture.Cluster.StopSiloAsync(_fixture.Cluster.Silos.Single(silo => silo.SiloAddress == host));

        Assert.All(_fixture.Storage.Records(thread), record => Assert.Equal(BackgroundTaskStatus.Cancelled, record.Status));
        await observed.WhenAsync(view => view.Values.All(t => t.Status == BackgroundTaskStatus.Cancelled)).WaitAsync(ClusterFixture.FailoverGuard);
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await _fixture.Client.WaitAsync(thread, task)).Status);
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await _fixture.Client.WaitAsync(thread, agent)).Status);
    }

    private static bool IsOrphan(TaskSummary record) =>
        record.Status == BackgroundTaskStatus.Failed && record.Error == BackgroundTaskManager.OrphanedTaskError && record.CompletedAt is not null;

    /// <summary>A new thread whose grain Orleans placed on <paramref name="host"/> (placement is random: try a few).</summary>
    private async Task<string> ThreadHostedOnAsync(SiloAddress host)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var candidate = ClusterFixture.NewThreadId("quiet");
            if (await _fixture.HostOfAsync(candidate) == host)
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"No thread grain was placed on {host} in 100 tries.");
    }
}
