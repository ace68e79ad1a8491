using BackgroundTasks.Orleans.Tests.TestSupport;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Orleans.Tests;

/// <summary>A thread's numbered events through its grain, live and replayed.</summary>
public sealed class ThreadEventsTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private readonly ClusterFixture _fixture = fixture;

    [Fact]
    public async Task ObserveThreadEvents_Live_SeesCustomAndTerminalEventsInSequence()
    {
        var thread = ClusterFixture.NewThreadId("events");
        var grain = _fixture.Client.GetBackgroundTaskThread(thread);
        await grain.HasRunningAsync();
        using var observed = new ObservedEvents(_fixture.Client.ObserveThreadEvents(thread));
        await WhenSubscribedAsync(observed, grain);

        var parent = await grain.SpawnAsync("parent", null, "emits its child's id", TaskParentContext.None, default);
        await observed.WhenAsync(events => events.Any(e => e is TaskEvent.Custom { EventType: "child" })).Guarded();
        await grain.CancelAllAsync();
        await observed.WhenAsync(events => events.Count(e => e is TaskEvent.Cancelled) == 2).Guarded();

        var sequences = observed.Events.Select(e => e.Sequence).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
        Assert.Contains(observed.Events, e => e is TaskEvent.Cancelled c && c.TaskId == parent);
    }

    [Fact]
    public async Task ObserveThreadEvents_AfterSequence_ReplaysTheRetainedEventsWithNoGapAndNoDuplicate()
    {
        var thread = ClusterFixture.NewThreadId("replay");
        var grain = _fixture.Client.GetBackgroundTaskThread(thread);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await grain.SpawnAsync("echo", null, "echo", TaskParentContext.None, TestBodies.Json(i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }

        foreach (var id in ids)
        {
            await _fixture.Client.WaitAsync(thread, id).Guarded();
        }

        using var all = new ObservedEvents(_fixture.Client.ObserveThreadEvents(thread, afterSequence: 0));
        using var rest = new ObservedEvents(_fixture.Client.ObserveThreadEvents(thread, afterSequence: 1));
        await all.WhenAsync(events => events.Count == 3).Guarded();
        await rest.WhenAsync(events => events.Count == 2).Guarded();

        Assert.Equal([1L, 2L, 3L], all.Events.Select(e => e.Sequence));
        Assert.Equal(ids, all.Events.Select(e => e.TaskId));
        Assert.All(all.Events, e => Assert.IsType<TaskEvent.Completed>(e));
        Assert.Equal([2L, 3L], rest.Events.Select(e => e.Sequence));
    }

    [Fact]
    public void ObserveThreadEvents_NegativeAfterSequence_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _fixture.Client.ObserveThreadEvents("t", -1));

    /// <summary>
    /// A live stream sees only what is published after it subscribed, which the test cannot observe from outside; so
    /// this spawns echo tasks until the stream has seen one of them (bounded): from then on it sees everything.
    /// </summary>
    private static async Task WhenSubscribedAsync(ObservedEvents observed, IBackgroundTaskThreadGrain grain)
    {
        for (var attempt = 0; attempt < 200 && !observed.Events.Any(e => e is TaskEvent.Completed); attempt++)
        {
            var probe = await grain.SpawnAsync("echo", null, "probe", TaskParentContext.None, TestBodies.Json("0"));
            await grain.PollTerminalAsync(probe, TimeSpan.FromSeconds(5));
        }

        Assert.Contains(observed.Events, e => e is TaskEvent.Completed);
    }
}
