namespace BackgroundTasks.Tests.Inboxes;

internal static class InboxTestMessages
{
    internal static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    internal static TaskEvent Msg(int i) => new TaskEvent.Cancelled($"bg_{i}");

    internal static string[] Ids(IEnumerable<TaskEvent> messages) => [.. messages.Select(m => m.TaskId)];

    internal static string[] Ids(int count) => [.. Enumerable.Range(0, count).Select(i => $"bg_{i}")];
}
