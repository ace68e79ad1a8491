using System.Reflection;
using BackgroundTasks.Caching;

namespace BackgroundTasks.Tests.Docs;

/// <summary>
/// Guards the public surface promised in shared/API.md: code outside this repository is compiled against
/// these names, so a rename or removal must fail here, not in a user's build.
/// </summary>
public sealed class ApiContractTests
{
    public static TheoryData<Type, string[]> Contract => new()
    {
        { typeof(BackgroundTaskStatus), ["Running", "Completed", "Failed", "Cancelled", "Queued"] },
        { typeof(BackgroundTaskStatusExtensions), ["IsTerminal", "AsString"] },
        { typeof(TaskResult), ["Status", "Value", "Error", "Success", "Failed", "Cancelled"] },
        { typeof(TaskParentContext), ["TaskId", "RunId", "CallId", "AgentId", "IsEmpty", "None"] },
        { typeof(TaskEvent), ["TaskId", "Sequence"] },
        { typeof(TaskEvent.Completed), ["TaskId", "Result"] },
        { typeof(TaskEvent.Failed), ["TaskId", "Error"] },
        { typeof(TaskEvent.Cancelled), ["TaskId"] },
        { typeof(TaskEvent.Custom), ["TaskId", "EventType", "Payload"] },
        { typeof(TaskSummary), ["TaskId", "OwnerThreadId", "TaskType", "Name", "Description", "Status", "Error", "Result", "CreatedAt", "CompletedAt", "ParentContext", "StartedAt", "Attempt", "Progress"] },
        { typeof(BackgroundTaskStateSnapshot), ["Tasks", "Empty", "ToJson", "FromJson"] },
        { typeof(Inbox), ["Create"] },
        { typeof(InboxSender), ["Send", "TrySend", "SendAsync", "IsClosed"] },
        { typeof(InboxReceiver), ["TryReceive", "ReceiveAsync", "ReadAllAsync", "Drain", "Count", "Source", "Close"] },
        { typeof(TaskContext), ["TaskId", "CancellationToken", "IsCancellationRequested", "WhenCancelled", "Emit", "ReportProgress", "Heartbeat"] },
        { typeof(AgentTaskContext), ["TaskId", "CancellationToken", "InboxSender", "Inbox", "Emit", "WhenCancelled", "IsCancellationRequested", "ReportProgress", "Heartbeat"] },
        { typeof(BackgroundTaskManagerOptions), ["TimeProvider", "TaskScheduler", "MaxRunningPerOwner", "MaxQueuedPerOwner", "ShutdownGrace", "EventReplayCapacityPerOwner"] },
        { typeof(SpawnError), ["ReservedName", "DuplicateName", "StoreNotConfigured", "State", "ParentRunCancelled", "QueueFull"] },
        { typeof(SpawnException), ["Error", "Name", "RunId"] },
        { typeof(SendError), ["TaskNotFound", "NotOwner", "TaskTerminated", "NoInbox", "InboxClosed"] },
        { typeof(SendException), ["Error", "TerminalStatus"] },
        {
            typeof(BackgroundTaskManager),
            [
                "SetOwnerInbox", "SetStore", "SpawnAsync", "SpawnAgentAsync", "SpawnAgentWithContextAsync", "CancelAsync",
                "CancelTreeAsync", "CancelAllAsync", "CancelDescendantsForRunAsync", "ListAsync", "GetAsync", "HasRunningAsync",
                "WaitAsync", "SendTaskInboxMessageAsync", "RestoreForThreadAsync", "ResolveLiveChildTask", "ResolveLiveChildRun",
                "Events", "Watch", "Connect", "CurrentTaskId", "DisposeAsync", "CancelAndWaitAsync", "WaitAnyAsync", "WaitAllAsync",
                "ListTreeAsync", "RemoveOwnerInbox", "ObserveEvents", "ForThread", "WhenIdleAsync",
            ]
        },
        { typeof(SpawnOptions), ["Default", "Timeout", "HeartbeatTimeout", "Retry", "ParentClosePolicy"] },
        { typeof(ParentClosePolicy), ["Abandon", "Cancel"] },
        { typeof(RetryPolicy), ["MaxAttempts", "Delay", "Backoff", "MaxDelay", "UseJitter", "ShouldRetry"] },
        { typeof(RetryBackoff), ["Constant", "Linear", "Exponential"] },
        { typeof(AgentMessage), ["From", "Content", "TryParse", "EventType"] },
        { typeof(TaskProgress), ["Fraction", "Message"] },
        { typeof(EventsExpiredException), ["OwnerThreadId", "RequestedAfter", "OldestRetained"] },
        {
            typeof(ThreadTasks),
            [
                "OwnerThreadId", "SpawnAsync", "SpawnAgentAsync", "SpawnAgentWithContextAsync", "CancelAsync", "CancelTreeAsync",
                "CancelAllAsync", "CancelAndWaitAsync", "GetAsync", "ListAsync", "ListTreeAsync", "HasRunningAsync", "WaitAsync",
                "SendTaskInboxMessageAsync", "Connect", "ObserveEvents",
            ]
        },
        { typeof(ToolLineage), ["Begin"] },
        { typeof(BackgroundTaskDataflow), ["CreateSpawnBlock"] },
        { typeof(TaskStateStore), ["Tasks", "Lookup", "Snapshot", "Dispose", "DisposeAsync", "OpenAsync"] },
        { typeof(ITaskStatePersistence), ["LoadAsync", "SaveAsync", "DisposeAsync"] },
        { typeof(ChangeReason), ["Add", "Update", "Remove", "Refresh"] },
        { typeof(Change<,>), ["Reason", "Key", "Current", "Previous"] },
        { typeof(IChangeSet<,>), ["Adds", "Updates", "Removes", "Refreshes"] },
        { typeof(IObservableCache<,>), ["Count", "Items", "Keys", "Lookup", "Connect", "Watch", "CountChanged"] },
        { typeof(ISourceUpdater<,>), ["AddOrUpdate", "Remove", "Refresh", "Lookup"] },
        { typeof(SourceCache<,>), ["AddOrUpdate", "Remove", "Edit", "Connect", "Watch", "Lookup", "Count", "Items", "Keys", "CountChanged"] },
        { typeof(IGroup<,,>), ["Key", "Cache"] },
        { typeof(IQuery<,>), ["Count", "Items", "Keys", "Lookup"] },
        { typeof(ISortedChangeSet<,>), ["SortedItems", "Adds", "Updates", "Removes", "Refreshes"] },
        {
            typeof(ObservableCacheEx),
            [
                "Filter", "Transform", "Group", "Sort", "Bind", "SortAndBind", "QueryWhenChanged", "ToCollection",
                "AsObservableCache", "MergeChangeSets", "WhereReasonsAre", "OnItemAdded", "OnItemUpdated", "OnItemRemoved",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Contract))]
    public void PublicType_HasEveryContractMember(Type type, string[] members)
    {
        Assert.True(type.IsPublic || type.IsNestedPublic, $"{type} must be public.");
        var names = type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Select(member => member.Name)
            .Concat(type.GetInterfaces().SelectMany(i => i.GetMembers().Select(member => member.Name)))
            .ToHashSet(StringComparer.Ordinal);

        Assert.All(members, member => Assert.True(names.Contains(member), $"{type.Name}.{member} is missing."));
    }

    [Fact]
    public void Namespaces_AreAsPromised()
    {
        Assert.Equal("BackgroundTasks", typeof(BackgroundTaskManager).Namespace);
        Assert.Equal("BackgroundTasks.Caching", typeof(SourceCache<,>).Namespace);
        Assert.Equal("BackgroundTasks.Caching", typeof(ObservableCacheEx).Namespace);
        Assert.Equal("BackgroundTasks", typeof(BackgroundTaskManager).Assembly.GetName().Name);
        Assert.True(typeof(IAsyncDisposable).IsAssignableFrom(typeof(BackgroundTaskManager)));
        Assert.True(typeof(IDisposable).IsAssignableFrom(typeof(TaskStateStore)));
        Assert.True(typeof(IAsyncDisposable).IsAssignableFrom(typeof(TaskStateStore)));
        Assert.True(typeof(IAsyncDisposable).IsAssignableFrom(typeof(ITaskStatePersistence)));
    }
}
