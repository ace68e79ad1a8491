using BackgroundTasks.Caching;
using BackgroundTasks.Tests.Tasks;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Caching.Operators;

/// <summary>
/// The recipe, "running tasks per owner": <c>Connect().Filter(running).Group(owner)</c>, over a
/// <see cref="SourceCache{TObject, TKey}"/> of summaries and over a real store fed by a manager.
/// </summary>
public sealed class RunningTasksPerOwnerTests
{
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(10);

    private static TaskSummary Task(string id, string owner, BackgroundTaskStatus status = BackgroundTaskStatus.Running) =>
        TaskSamples.Minimal(id) with { OwnerThreadId = owner, Status = status };

    private static IObservable<IChangeSet<IGroup<TaskSummary, string, string>, string>> RunningPerOwner(IObservableCache<TaskSummary, string> tasks) =>
        tasks.Connect().Filter(summary => summary.Status == BackgroundTaskStatus.Running).Group(summary => summary.OwnerThreadId);

    private static Dictionary<string, string> Snapshot(ChangeSetView<IGroup<TaskSummary, string, string>, string> view) =>
        view.Items.ToDictionary(pair => pair.Key, pair => string.Join(',', pair.Value.Cache.Keys.Order(StringComparer.Ordinal)));

    [Fact]
    public void RunningPerOwner_OverASourceCache_FollowsSpawnsAndTerminalStatuses()
    {
        using var tasks = new SourceCache<TaskSummary, string>(summary => summary.TaskId);
        tasks.AddOrUpdate([Task("bg_1", "t1"), Task("bg_2", "t1"), Task("bg_3", "t2"), Task("bg_4", "t3", BackgroundTaskStatus.Completed)]);
        var view = new ChangeSetView<IGroup<TaskSummary, string, string>, string>();
        using var subscription = RunningPerOwner(tasks).Subscribe(view.Apply);

        Assert.Equal(new Dictionary<string, string> { ["t1"] = "bg_1,bg_2", ["t2"] = "bg_3" }, Snapshot(view));

        tasks.AddOrUpdate(Task("bg_1", "t1", BackgroundTaskStatus.Completed));
        tasks.AddOrUpdate(Task("bg_3", "t2", BackgroundTaskStatus.Failed));
        tasks.AddOrUpdate(Task("bg_5", "t3"));

        Assert.Empty(view.Errors);
        Assert.Equal(new Dictionary<string, string> { ["t1"] = "bg_2", ["t3"] = "bg_5" }, Snapshot(view));
    }

    [Fact]
    public async Task RunningPerOwner_OverTheStore_FollowsTheManager()
    {
        await using var fixture = new ManagerFixture();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        string waiting = await fixture.SpawnWaitingAsync(owner: "t1");
        string gated = await fixture.SpawnGatedAsync(gate.Task, owner: "t2");

        var view = new ChangeSetView<IGroup<TaskSummary, string, string>, string>();
        var ownerGone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = RunningPerOwner(fixture.Store.Tasks).Subscribe(changes =>
        {
            view.Apply(changes);
            if (changes.Any(change => change.Reason == ChangeReason.Remove && change.Key == "t2"))
            {
                ownerGone.TrySetResult();
            }
        });

        Assert.Equal(new Dictionary<string, string> { ["t1"] = waiting, ["t2"] = gated }, Snapshot(view));

        gate.SetResult();
        await ownerGone.Task.WaitAsync(s_hangGuard);

        Assert.Empty(view.Errors);
        Assert.Equal(new Dictionary<string, string> { ["t1"] = waiting }, Snapshot(view));
        await fixture.Manager.CancelAsync(waiting);
    }

    [Fact]
    public async Task ChainOverTheStore_ObserverThrows_TheTaskStillEndsAndOtherChainsStillReceive()
    {
        await using var fixture = new ManagerFixture();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var throwing = RunningPerOwner(fixture.Store.Tasks).Subscribe(_ => throw new InvalidOperationException("observer"));
        using var healthy = fixture.Store.Tasks.Connect()
            .Filter(summary => summary.Status.IsTerminal())
            .Subscribe(_ => ended.TrySetResult());

        string id = await fixture.SpawnGatedAsync(gate.Task, owner: "t1");
        gate.SetResult();
        await ended.Task.WaitAsync(s_hangGuard);

        Assert.Equal(BackgroundTaskStatus.Completed, fixture.Store.Lookup(id)!.Status);
    }
}
