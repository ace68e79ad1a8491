using BackgroundTasks.Tests.Reactive;

namespace BackgroundTasks.Tests.Events;

public sealed class OwnerEventLogTests
{
    [Fact]
    public async Task OwnerEmptied_WhileATaskIsAttached_KeepsTheLog_UntilTheTaskEndsAndTheStoreHasNoRecord()
    {
        await using var manager = new BackgroundTaskManager();
        var logs = manager.EventLogs;
        var log = logs.AttachTask("t");

        // The store dropped the thread's last record while a spawn for it was between attaching and writing its record.
        logs.OwnerEmptied("t");
        Assert.Equal(1, logs.Count);
        var observer = new TestObserver<TaskEvent>();
        using (logs.Subscribe("t", null, observer))
        {
            var channel = new TaskEventChannel(log, null, manager);
            await channel.PublishTerminal(new TaskSummary { TaskId = "bg_0", OwnerThreadId = "t", TaskType = "x", Description = "d", Status = BackgroundTaskStatus.Cancelled });

            // The subscriber is on the same log, so it sees the task's events.
            Assert.Equal(["bg_0"], observer.Values.Select(e => e.TaskId));
        }

        // No task, no observer, no store (so no record): the log retires once the last observer leaves.
        Assert.Equal(0, logs.Count);
    }

    [Fact]
    public async Task OwnerEmptied_WithNothingAttached_RetiresTheLog_AndTheNextSpawnGetsANewOne()
    {
        await using var manager = new BackgroundTaskManager();
        var logs = manager.EventLogs;
        var first = logs.AttachTask("t");
        new TaskEventChannel(first, null, manager).Close();

        logs.OwnerEmptied("t");

        Assert.Equal(0, logs.Count);
        Assert.False(first.TryAttachTask());
        Assert.NotSame(first, logs.AttachTask("t"));
    }
}
