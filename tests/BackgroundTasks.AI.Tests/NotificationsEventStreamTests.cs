using System.Collections.Concurrent;
using BackgroundTasks.AI.Tests.TestSupport;
using Microsoft.Extensions.AI;

namespace BackgroundTasks.AI.Tests;

/// <summary>The notices client follows the thread's numbered event stream: its buffer, its cursor, the replay ring and disposal.</summary>
public sealed class NotificationsEventStreamTests
{
    private const string Untracked =
        "- others may have ended too: more ended at once than could be tracked; task_list shows every task's status";

    private static readonly ChatMessage[] s_prompt = [new(ChatRole.User, "hi")];

    [Fact]
    public async Task MoreEndThanTheClientHolds_TheRestComesFromTheReplayRing_EachOnceInOrder()
    {
        await using var harness = ToolsHarness.Create();
        var ids = await SpawnAsync(harness, 5);
        var inner = new RecordingChatClient();
        using var client = new BackgroundTaskNotificationsChatClient(inner, harness.Manager, ToolsHarness.Thread, capacity: 2);
        await FinishInOrderAsync(harness, 5);

        await CallAsync(client, times: 5);

        var lines = NoticeLines(inner.Calls).ToList();
        Assert.Equal(ids.Select((id, i) => $"- {id} completed: {i}"), lines);
        Assert.Empty(ScriptedChatClient.Notices(inner.Calls[^1]));
    }

    [Fact]
    public async Task CursorFellOutOfTheReplayRing_ReportsWhatTheRingStillHolds_AndSaysOthersMayHaveEnded()
    {
        await using var harness = ToolsHarness.Create(managerOptions: new BackgroundTaskManagerOptions { EventReplayCapacityPerOwner = 2 });
        var ids = await SpawnAsync(harness, 5);
        var inner = new RecordingChatClient();
        using var client = new BackgroundTaskNotificationsChatClient(inner, harness.Manager, ToolsHarness.Thread, capacity: 2);

        // The client holds the first two; the third stops it, and the ring keeps only the last two events.
        await FinishInOrderAsync(harness, 5);
        await CallAsync(client, times: 3);

        Assert.Equal(
            $"[background tasks] 2 background tasks ended since your last turn:\n- {ids[0]} completed: 0\n- {ids[1]} completed: 1",
            Assert.Single(ScriptedChatClient.Notices(inner.Calls[0])).Text);
        Assert.Equal(
            $"[background tasks] 2 background tasks ended since your last turn:\n- {ids[3]} completed: 3\n- {ids[4]} completed: 4\n{Untracked}",
            Assert.Single(ScriptedChatClient.Notices(inner.Calls[1])).Text);
        Assert.Empty(ScriptedChatClient.Notices(inner.Calls[2]));
        Assert.Equal(BackgroundTaskStatus.Completed, (await harness.Manager.GetAsync(ids[2]))!.Status);
    }

    [Fact]
    public async Task NothingRetainedForReplay_TheNoticeSaysTasksMayHaveEnded_ThenTheClientListensAgain()
    {
        await using var harness = ToolsHarness.Create(managerOptions: new BackgroundTaskManagerOptions { EventReplayCapacityPerOwner = 0 });
        var ids = await SpawnAsync(harness, 3);
        var inner = new RecordingChatClient();
        using var client = new BackgroundTaskNotificationsChatClient(inner, harness.Manager, ToolsHarness.Thread, capacity: 1);
        await FinishInOrderAsync(harness, 2);

        await CallAsync(client, times: 2);
        await harness.FinishAndWaitAsync("survey 2", TaskResult.Success(2));
        await CallAsync(client, times: 1);

        Assert.Equal($"[background tasks] 1 background task ended since your last turn:\n- {ids[0]} completed: 0",
            Assert.Single(ScriptedChatClient.Notices(inner.Calls[0])).Text);
        Assert.Equal("[background tasks] Background tasks may have ended since your last turn: more ended at once than could " +
            "be tracked; task_list shows every task's status.", Assert.Single(ScriptedChatClient.Notices(inner.Calls[1])).Text);
        Assert.Equal($"[background tasks] 1 background task ended since your last turn:\n- {ids[2]} completed: 2",
            Assert.Single(ScriptedChatClient.Notices(inner.Calls[2])).Text);
    }

    [Fact]
    public async Task OverlappingStreamingAndPlainCalls_WhileTasksEnd_ReportEachTaskExactlyOnce()
    {
        const int Count = 40;
        await using var harness = ToolsHarness.Create();
        var ids = await SpawnAsync(harness, Count);
        var inner = new RecordingChatClient();
        // A small buffer, so the race runs through stopping and resuming from the cursor as well.
        using var client = new BackgroundTaskNotificationsChatClient(inner, harness.Manager, ToolsHarness.Thread, capacity: 3);

        var finishing = Task.WhenAll(Enumerable.Range(0, Count).Select(i =>
            Task.Run(() => harness.FinishAndWaitAsync($"survey {i}", TaskResult.Success(i)))));
        await Task.WhenAll(CallWhileAsync(() => client.GetResponseAsync(s_prompt)),
            CallWhileAsync(() => client.GetStreamingResponseAsync(s_prompt).ToChatResponseAsync())).WaitAsync(ToolsHarness.HangGuard);
        int before;
        do
        {
            before = inner.Calls.Count;
            await client.GetResponseAsync(s_prompt);
        }
        while (ScriptedChatClient.Notices(inner.Calls[before]).Any());

        var reported = NoticeLines(inner.Calls).Select(line => line.Split(' ')[1]).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), reported.Order(StringComparer.Ordinal));

        async Task CallWhileAsync(Func<Task<ChatResponse>> call)
        {
            while (!finishing.IsCompleted)
            {
                await call();
                await Task.Yield();
            }

            await finishing;
        }
    }

    [Fact]
    public async Task Dispose_StopsListening_SoTheThreadsEventLogCanRetire()
    {
        // Every terminal record is pruned at once: only the client's subscription keeps the thread's events.
        await using var harness = ToolsHarness.Create(storeOptions: new TaskStateStoreOptions { MaxTerminalPerOwner = 0 });
        await harness.SpawnAsync("survey 0");
        var client = new BackgroundTaskNotificationsChatClient(new RecordingChatClient(), harness.Manager, ToolsHarness.Thread);
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (harness.Manager.ObserveEvents(ToolsHarness.Thread).Subscribe(_ => ended.TrySetResult()))
        {
            harness.Finish("survey 0", TaskResult.Success(0));
            await ended.Task.WaitAsync(ToolsHarness.HangGuard);
        }

        var whileListening = ReplayCount(harness.Manager);
        client.Dispose();
        var afterDispose = ReplayCount(harness.Manager);

        Assert.Equal((1, 0), (whileListening, afterDispose));
    }

    private static async Task<string[]> SpawnAsync(ToolsHarness harness, int count)
    {
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = await harness.SpawnAsync($"survey {i}");
        }

        return ids;
    }

    private static async Task FinishInOrderAsync(ToolsHarness harness, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await harness.FinishAndWaitAsync($"survey {i}", TaskResult.Success(i));
        }
    }

    private static async Task CallAsync(BackgroundTaskNotificationsChatClient client, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await client.GetResponseAsync(s_prompt);
        }
    }

    private static IEnumerable<string> NoticeLines(IEnumerable<IReadOnlyList<ChatMessage>> calls) =>
        calls.SelectMany(ScriptedChatClient.Notices).DistinctBy(notice => notice.MessageId)
            .SelectMany(notice => notice.Text.Split('\n').Skip(1));

    /// <summary>How many of the thread's events a subscriber from the start gets replayed (all arrive during Subscribe).</summary>
    private static int ReplayCount(BackgroundTaskManager manager)
    {
        var count = 0;
        using (manager.ObserveEvents(ToolsHarness.Thread, afterSequence: 0).Subscribe(_ => count++))
        {
        }

        return count;
    }
}
