namespace BackgroundTasks.Tests.Docs;

/// <summary>Guards the names of shared/API.md's "Observing many conversations" section, with exact signatures where they matter.</summary>
public sealed class ObservingApiContractTests
{
    [Fact]
    public void Manager_HasPerThreadInboxes_AndObserveEvents()
    {
        var manager = typeof(BackgroundTaskManager);

        Assert.Equal(typeof(void), manager.GetMethod("SetOwnerInbox", [typeof(string), typeof(InboxSender)])?.ReturnType);
        Assert.Equal(typeof(bool), manager.GetMethod("RemoveOwnerInbox", [typeof(string)])?.ReturnType);
        Assert.Equal(typeof(IObservable<TaskEvent>), manager.GetMethod("ObserveEvents", [typeof(string), typeof(long?)])?.ReturnType);
        Assert.Equal(typeof(int), typeof(BackgroundTaskManagerOptions).GetProperty("EventReplayCapacityPerOwner")?.PropertyType);
        Assert.Equal(1024, new BackgroundTaskManagerOptions().EventReplayCapacityPerOwner);
    }

    [Fact]
    public void Events_AreNumbered_AndExpiryIsAnException()
    {
        Assert.Equal(typeof(long), typeof(TaskEvent).GetProperty("Sequence")?.PropertyType);
        Assert.Equal(typeof(string), typeof(EventsExpiredException).GetProperty("OwnerThreadId")?.PropertyType);
        Assert.Equal(typeof(long), typeof(EventsExpiredException).GetProperty("RequestedAfter")?.PropertyType);
        Assert.Equal(typeof(long), typeof(EventsExpiredException).GetProperty("OldestRetained")?.PropertyType);
        Assert.True(typeof(Exception).IsAssignableFrom(typeof(EventsExpiredException)));
    }

    [Fact]
    public void Progress_IsState_ReportedFromBothContexts()
    {
        Assert.NotNull(typeof(TaskProgress).GetConstructor([typeof(double?), typeof(string)]));
        Assert.Equal(typeof(TaskProgress), typeof(TaskSummary).GetProperty("Progress")?.PropertyType);
        Assert.NotNull(typeof(TaskContext).GetMethod("ReportProgress", [typeof(double?), typeof(string)]));
        Assert.NotNull(typeof(AgentTaskContext).GetMethod("ReportProgress", [typeof(double?), typeof(string)]));
    }
}
