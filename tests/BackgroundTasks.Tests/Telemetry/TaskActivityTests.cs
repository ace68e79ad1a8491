using System.Collections.Concurrent;
using System.Diagnostics;
using BackgroundTasks.Tests.TestSupport;
using static BackgroundTasks.BackgroundTaskTelemetry;

namespace BackgroundTasks.Tests.Telemetry;

public sealed class TaskActivityTests : IDisposable
{
    private static readonly ActivitySource s_spawnerSource = new("BackgroundTasks.Tests.Spawner");

    // Activity sources are process-wide and other tests spawn in parallel: keep only this test's owner thread.
    private readonly string _owner = "activity-" + Guid.NewGuid().ToString("N");
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public TaskActivityTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is ActivitySourceName or "BackgroundTasks.Tests.Spawner",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem(OwnerThreadIdTag) as string == _owner)
                {
                    _stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task Task_GetsARootActivityLinkedToTheSpawner_CurrentInItsBody_TaggedWithItsOutcome()
    {
        await using var fixture = new ManagerFixture();
        var seenInBody = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        string id;
        ActivityContext spawnerContext;
        using (var spawner = s_spawnerSource.StartActivity("tool call"))
        {
            Assert.NotNull(spawner);
            spawnerContext = spawner.Context;
            id = await fixture.Manager.SpawnAsync(_owner, "fetch", "fetcher", "fetches", TaskParentContext.None, _ =>
            {
                seenInBody.SetResult(Activity.Current?.Id);
                return Task.FromResult(TaskResult.Success("page"));
            });
            Assert.Same(spawner, Activity.Current);
        }

        await fixture.Manager.WaitAsync(id).Guarded();

        var activity = Assert.Single(_stopped);
        Assert.Equal(TaskActivityName, activity.OperationName);
        Assert.Equal("fetch " + id, activity.DisplayName);
        Assert.Null(activity.ParentId);
        Assert.NotEqual(spawnerContext.TraceId, activity.TraceId);
        var link = Assert.Single(activity.Links);
        Assert.Equal(spawnerContext.SpanId, link.Context.SpanId);
        Assert.Equal(activity.Id, await seenInBody.Task.Guarded());
        Assert.Equal(id, activity.GetTagItem(TaskIdTag));
        Assert.Equal("fetch", activity.GetTagItem(TaskTypeTag));
        Assert.Equal("fetcher", activity.GetTagItem(TaskNameTag));
        Assert.Equal("completed", activity.GetTagItem(TaskStatusTag));
        Assert.Equal(ActivityStatusCode.Ok, activity.Status);
    }

    [Fact]
    public async Task FailedAndCancelledTasks_TagTheirOutcome_AndChildrenNameTheirParent()
    {
        await using var fixture = new ManagerFixture();
        var childId = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var parent = await fixture.Manager.SpawnAsync(_owner, "parent", null, "spawns a failing child", TaskParentContext.None, async context =>
        {
            childId.SetResult(await fixture.Manager.SpawnAsync(_owner, "child", null, "fails", TaskParentContext.None,
                _ => Task.FromResult(TaskResult.Failed("upstream returned 503"))));
            await context.WhenCancelled();
            return TaskResult.Cancelled;
        });
        var child = await childId.Task.Guarded();
        await fixture.Manager.WaitAsync(child).Guarded();
        await fixture.Manager.CancelAsync(parent);
        await fixture.Manager.WaitAsync(parent).Guarded();

        var failed = Assert.Single(_stopped, a => (string?)a.GetTagItem(TaskIdTag) == child);
        Assert.Equal("failed", failed.GetTagItem(TaskStatusTag));
        Assert.Equal("upstream returned 503", failed.GetTagItem(ErrorTag));
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal(parent, failed.GetTagItem(ParentTaskIdTag));
        var parentActivity = Assert.Single(_stopped, a => (string?)a.GetTagItem(TaskIdTag) == parent);
        Assert.Equal(parentActivity.SpanId, Assert.Single(failed.Links).Context.SpanId);
        Assert.Equal("cancelled", parentActivity.GetTagItem(TaskStatusTag));
        Assert.Equal(ActivityStatusCode.Unset, parentActivity.Status);
    }
}
