using System.Text.Json;
using BackgroundTasks.Orleans.Tests.TestSupport;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Orleans.Tests;

/// <summary>Remote spawns, cancels, messages and errors through a thread grain, from a cluster client.</summary>
public sealed class ThreadGrainTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private readonly ClusterFixture _fixture = fixture;

    [Fact]
    public async Task SpawnAsync_RegisteredTaskType_RunsOnTheHostingSiloAndCompletesWithItsInput()
    {
        var thread = ClusterFixture.NewThreadId("spawn");
        var grain = _fixture.Client.GetBackgroundTaskThread(thread);

        var id = await grain.SpawnAsync("echo", "e", "echo it", TaskParentContext.None, TestBodies.Json("""{"n":1}"""));
        var terminal = await _fixture.Client.WaitAsync(thread, id).Guarded();

        Assert.Equal("bg_0", id);
        Assert.Equal(BackgroundTaskStatus.Completed, terminal.Status);
        Assert.Equal("""{"n":1}""", terminal.Result!.Value.GetRawText());
        Assert.Equal("echo", terminal.TaskType);
        Assert.Equal(await _fixture.HostOfAsync(thread), TestBodies.RanOn[thread + "/" + id]);
    }

    [Fact]
    public async Task SpawnAsync_UnregisteredTaskType_ThrowsNamingItAndTheSilo_AndRecordsNothing()
    {
        var thread = ClusterFixture.NewThreadId("unknown");
        var grain = _fixture.Client.GetBackgroundTaskThread(thread);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => grain.SpawnAsync("nope", null, "d", TaskParentContext.None, default));

        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
        Assert.Contains((await _fixture.HostOfAsync(thread)).ToString(), error.Message, StringComparison.Ordinal);
        Assert.Empty(await grain.ListAsync());
        await Assert.ThrowsAsync<ArgumentException>(() => grain.SpawnAgentAsync("nobody", null, "d", TaskParentContext.None, default));
        Assert.Empty(await grain.ListAsync());
    }

    [Fact]
    public async Task SpawnAgentAsync_MessageSentThroughTheGrain_ReachesTheAgent()
    {
        var thread = ClusterFixture.NewThreadId("agent");
        var grain = _fixture.Client.GetBackgroundTaskThread(thread);

        var id = await grain.SpawnAgentAsync("listener", "scout", "listens", TaskParentContext.None, default);
        await grain.SendTaskInboxMessageAsync(id, "lead", "go north");
        var terminal = await _fixture.Client.WaitAsync(thread, id).Guarded();

        Assert.Equal("sub_agent", terminal.TaskType);
        Assert.Equal(BackgroundTaskStatus.Completed, terminal.Status);
        Assert.Equal("go north", terminal.Result!.Value.GetString());
    }

    [Fact]
    public async Task SendTaskInboxMessageAsync_Refused_ReachesTheCallerWithItsErrorAndStatus()
    {
        var thread = ClusterFixture.NewThreadId("send");
        var grain = _fixture.Client.GetBackgroundTaskThread(thread);
        var plain = await grain.SpawnAsync("wait", null, "no inbox", TaskParentContext.None, default);
        var failed = await grain.SpawnAsync("fail", null, "fails", TaskParentContext.None, default);
        await _fixture.Client.WaitAsync(thread, failed).Guarded();

        var unknown = await Assert.ThrowsAsync<SendException>(() => grain.SendTaskInboxMessageAsync("bg_99", "me", "hi"));
        var noInbox = await Assert.ThrowsAsync<SendException>(() => grain.SendTaskInboxMessageAsync(plain, "me", "hi"));
        var terminated = await Assert.ThrowsAsync<SendException>(() => grain.SendTaskInboxMessageAsync(failed, "me", "hi"));

        Assert.Equal(SendError.TaskNotFound, unknown.Error);
        Assert.Equal(SendError.NoInbox, noInbox.Error);
        Assert.Equal(SendError.TaskTerminated, terminated.Error);
        Assert.Equal(BackgroundTaskStatus.Failed, terminated.TerminalStatus);
        await grain.CancelAllAsync();
    }

    [Fact]
    public async Task SpawnAsync_Refused_ReachesTheCallerAsSpawnExceptionWithErrorAndName()
    {
        var thread = ClusterFixture.NewThreadId("refused");
        var grain = _fixture.Client.GetBackgroundTaskThread(thread);
        await grain.SpawnAsync("wait", "solo", "first", TaskParentContext.None, default);

        var duplicate = await Assert.ThrowsAsync<SpawnException>(() => grain.SpawnAsync("wait", "solo", "second", TaskParentContext.None, default));
        var reserved = await Assert.ThrowsAsync<SpawnException>(() => grain.SpawnAsync("wait", "self", "reserved", TaskParentContext.None, default));
        await grain.CancelDescendantsForRunAsync("run-x");
        var cancelledRun = await Assert.ThrowsAsync<SpawnException>(() =>
            grain.SpawnAsync("wait", null, "late", new TaskParentContext { RunId = "run-x" }, default));

        Assert.Equal((SpawnError.DuplicateName, "solo"), (duplicate.Error, duplicate.Name));
        Assert.Equal((SpawnError.ReservedName, "self"), (reserved.Error, reserved.Name));
        Assert.Equal((SpawnError.ParentRunCancelled, "run-x"), (cancelledRun.Error, cancelledRun.RunId));
        Assert.Single(await grain.ListAsync());
        await grain.CancelAllAsync();
    }

    [Fact]
    public async Task SpawnAsync_RetryPolicyWithShouldRetry_IsRefusedBeforeItLeaves()
    {
        var grain = _fixture.Client.GetBackgroundTaskThread(ClusterFixture.NewThreadId("retry"));
        var options = new SpawnOptions { Retry = new RetryPolicy { ShouldRetry = _ => true } };

        var error = await Assert.ThrowsAnyAsync<Exception>(() => grain.SpawnAsync("echo", null, "d", TaskParentContext.None, default, options));

        Assert.Contains(OrleansMessages.ShouldRetryAcrossWire, Flatten(error), StringComparison.Ordinal);
        Assert.Empty(await grain.ListAsync());
    }

    [Fact]
    public async Task Cancels_ThroughTheGrain_ReachTheTaskTheTreeTheThreadAndTheRun()
    {
        var thread = ClusterFixture.NewThreadId("cancel");
        var grain = _fixture.Client.GetBackgroundTaskThread(thread);
        var single = await grain.SpawnAsync("wait", null, "alone", TaskParentContext.None, default);
        var run = await grain.SpawnAsync("wait", null, "in a run", new TaskParentContext { RunId = "run-1" }, default);
        var parent = await grain.SpawnAsync("parent", null, "has a child", TaskParentContext.None, default);
        using var observed = new ObservedThread(_fixture.Client.ConnectThread(thread));
        await observed.WhenAsync(view => view.Values.Any(t => t.ParentContext.TaskId == parent)).Guarded();
        var child = (await grain.ListAsync()).Single(t => t.ParentContext.TaskId == parent).TaskId;

        Assert.True(await grain.CancelAsync(single));
        Assert.Equal(1, await grain.CancelDescendantsForRunAsync("run-1"));
        Assert.Equal(2, await grain.CancelTreeAsync(parent));

        foreach (var id in new[] { single, run, parent, child })
        {
            Assert.Equal(BackgroundTaskStatus.Cancelled, (await _fixture.Client.WaitAsync(thread, id).Guarded()).Status);
        }

        Assert.False(await grain.HasRunningAsync());
        var another = await grain.SpawnAsync("wait", null, "again", TaskParentContext.None, default);
        Assert.Equal(1, await grain.CancelAllAsync());
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await _fixture.Client.WaitAsync(thread, another).Guarded()).Status);
    }

    [Fact]
    public async Task ConnectThread_SeesTheSnapshotThenEveryChange()
    {
        var thread = ClusterFixture.NewThreadId("connect");
        var grain = _fixture.Client.GetBackgroundTaskThread(thread);
        var before = await grain.SpawnAsync("wait", null, "before", TaskParentContext.None, default);
        using var observed = new ObservedThread(_fixture.Client.ConnectThread(thread));
        await observed.WhenAsync(view => view.ContainsKey(before)).Guarded();

        var after = await grain.SpawnAsync("echo", null, "after", TaskParentContext.None, TestBodies.Json("2"));
        await grain.CancelAsync(before);
        await observed.WhenAsync(view => view.TryGetValue(after, out var a) && a.Status == BackgroundTaskStatus.Completed
            && view[before].Status == BackgroundTaskStatus.Cancelled).Guarded();

        var first = observed.ChangeSets[0];
        Assert.Equal((1, 0), (first.Adds, first.Updates));
        Assert.Equal(before, first[0].Key);
    }

    [Fact]
    public async Task WaitAsync_UnknownTask_ThrowsKeyNotFound()
    {
        var thread = ClusterFixture.NewThreadId("wait");

        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => _fixture.Client.WaitAsync(thread, "bg_7"));

        Assert.Equal(OrleansMessages.UnknownTask("bg_7", thread), error.Message);
    }

    [Fact]
    public async Task SpawnAsync_FromABody_GetsTheBodysTaskAsParentInTheSameThread()
    {
        var thread = ClusterFixture.NewThreadId("lineage");
        var grain = _fixture.Client.GetBackgroundTaskThread(thread);
        var parent = await grain.SpawnAsync("parent", null, "spawns", new TaskParentContext { RunId = "run-7" }, default);
        using var observed = new ObservedThread(_fixture.Client.ConnectThread(thread));

        await observed.WhenAsync(view => view.Count == 2).Guarded();
        var child = (await grain.ListAsync()).Single(t => t.TaskId != parent);

        Assert.Equal(parent, child.ParentContext.TaskId);
        Assert.Equal("run-7", child.ParentContext.RunId);
        Assert.Equal(thread, child.OwnerThreadId);
        await grain.CancelAllAsync();
    }

    [Fact]
    public async Task PollTerminalAsync_LiveTask_ReturnsNullAfterItsBoundedWait_AndWaitAsyncKeepsPolling()
    {
        var thread = ClusterFixture.NewThreadId("poll");
        var grain = _fixture.Client.GetBackgroundTaskThread(thread);
        var id = await grain.SpawnAsync("wait", null, "outlives a poll", TaskParentContext.None, default);

        Assert.Null(await grain.PollTerminalAsync(id, TimeSpan.FromMilliseconds(50)).Guarded());
        var waiting = _fixture.Client.WaitAsync(thread, id);
        Assert.Null(await grain.PollTerminalAsync(id, TimeSpan.FromMilliseconds(50)).Guarded());
        Assert.False(waiting.IsCompleted);
        await grain.CancelAsync(id);

        Assert.Equal(BackgroundTaskStatus.Cancelled, (await waiting.Guarded()).Status);
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await grain.PollTerminalAsync(id, TimeSpan.Zero))!.Status);
    }

    [Fact]
    public async Task WaitAsync_Cancelled_ThrowsOperationCanceled()
    {
        var thread = ClusterFixture.NewThreadId("wait-cancel");
        var id = await _fixture.Client.GetBackgroundTaskThread(thread).SpawnAsync("wait", null, "d", TaskParentContext.None, default);
        using var cancel = new CancellationTokenSource();

        var waiting = _fixture.Client.WaitAsync(thread, id, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.Guarded());
        await _fixture.Client.GetBackgroundTaskThread(thread).CancelAllAsync();
    }

    [Fact]
    public async Task ClientExtensions_BadArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => BackgroundTasksClientExtensions.GetBackgroundTaskThread(null!, "t"));
        Assert.Throws<ArgumentNullException>(() => _fixture.Client.GetBackgroundTaskThread(null!));
        Assert.Throws<ArgumentException>(() => _fixture.Client.GetBackgroundTaskThread(" "));
        Assert.Throws<ArgumentNullException>(() => BackgroundTasksClientExtensions.ConnectThread(null!, "t"));
        Assert.Throws<ArgumentException>(() => _fixture.Client.ConnectThread(""));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _fixture.Client.WaitAsync("t", null!));
        await Assert.ThrowsAsync<ArgumentException>(() => _fixture.Client.WaitAsync(" ", "bg_0"));
    }

    private static string Flatten(Exception error) =>
        error.InnerException is null ? error.ToString() : error + Flatten(error.InnerException);
}
