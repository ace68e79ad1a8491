using BackgroundTasks.Tests.Reactive;
using BackgroundTasks.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;

namespace BackgroundTasks.Tests.Manager;

/// <summary>Issue 9, defect 3: a throwing Events observer delayed the observers after it by one event.</summary>
public sealed class EventObserverFaultTests
{
    [Fact]
    public async Task Events_AnObserverThrows_EveryOtherObserverGetsEachTerminalEventBeforeWaitAsyncReturns()
    {
        var logger = new FakeLogger();
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions { Logger = logger });
        using var throwing = fixture.Manager.Events.Subscribe(new TestObserver<TaskEvent>(_ => throw new InvalidOperationException("observer broke")));
        var others = new[] { new TestObserver<TaskEvent>(), new TestObserver<TaskEvent>() };
        var subscriptions = others.Select(fixture.Manager.Events.Subscribe).ToArray();

        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var id = await fixture.Manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(i)));
            await fixture.Manager.WaitAsync(id).Guarded();
            ids.Add(id);

            // The terminal event goes out before waiters wake; nothing is held back for a later event.
            foreach (var other in others)
            {
                Assert.Equal(ids, other.Values.Select(e => e.TaskId));
            }
        }

        var faults = logger.Collector.GetSnapshot().Where(r => r.Id.Name == "DeliveryFault").ToList();
        Assert.Equal(5, faults.Count);
        Assert.All(faults, f => Assert.Equal("observer broke", f.Exception?.Message));
        Assert.Equal(ids, faults.Select(f => ids.Single(id => f.Message.Contains(id + " ", StringComparison.Ordinal))));
        foreach (var subscription in subscriptions)
        {
            subscription.Dispose();
        }
    }
}
