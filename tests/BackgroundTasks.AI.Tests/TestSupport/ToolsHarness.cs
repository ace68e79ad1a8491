using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.AI;

namespace BackgroundTasks.AI.Tests.TestSupport;

/// <summary>
/// A manager with a store, the tools of one conversation, and a "researcher" agent kind whose bodies are gated:
/// each runs until its task text's gate is opened or it is cancelled, recording the messages it receives.
/// </summary>
internal sealed class ToolsHarness : IAsyncDisposable
{
    public const string Thread = "t1";
    public const string Agent = "lead";
    public const string Run = "run-1";
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, TaskCompletionSource<TaskResult>> _gates = new();

    private ToolsHarness(Func<BackgroundTaskToolsOptions, BackgroundTaskToolsOptions>? configure, TimeProvider? timeProvider,
        BackgroundTaskManagerOptions? managerOptions, TaskStateStoreOptions? storeOptions)
    {
        Store = storeOptions is null ? new TaskStateStore() : new TaskStateStore(storeOptions);
        Manager = new BackgroundTaskManager(Store, managerOptions);
        var options = new BackgroundTaskToolsOptions { RunId = Run, TimeProvider = timeProvider ?? TimeProvider.System };
        options = configure?.Invoke(options) ?? options;
        options.Agents["researcher"] = new SubAgentDefinition("researches one question and reports its findings", ResearchAsync);
        Tools = new BackgroundTaskTools(Manager, Thread, Agent, options);
    }

    public TaskStateStore Store { get; }

    public BackgroundTaskManager Manager { get; }

    public BackgroundTaskTools Tools { get; }

    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _started = new();

    private readonly Channel<(string TaskId, string From, string Content)> _received =
        Channel.CreateUnbounded<(string TaskId, string From, string Content)>();

    public static ToolsHarness Create(Func<BackgroundTaskToolsOptions, BackgroundTaskToolsOptions>? configure = null,
        TimeProvider? timeProvider = null, BackgroundTaskManagerOptions? managerOptions = null, TaskStateStoreOptions? storeOptions = null) =>
        new(configure, timeProvider, managerOptions, storeOptions);

    /// <summary>A gated researcher of another thread, spawned on the manager directly.</summary>
    public Task<string> SpawnOnOtherThreadAsync(string task, string? name = null) =>
        Manager.SpawnAgentWithContextAsync("t2", name, task, TaskParentContext.None, context => ResearchAsync(task, context));

    /// <summary>A gated plain task (no inbox) of this thread.</summary>
    public Task<string> SpawnPlainAsync(string task, string? name = null, TaskParentContext? parent = null) =>
        Manager.SpawnAsync(Thread, "fetch", name, task, parent ?? TaskParentContext.None, async context =>
        {
            Started(task).TrySetResult(context.TaskId);
            try
            {
                return await Gate(task).Task.WaitAsync(context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                return TaskResult.Cancelled;
            }
        });

    public AIFunction Function(string name) => Tools.Functions.Single(function => function.Name == name);

    /// <summary>Calls a tool with arguments given as JSON, as a model's arguments arrive.</summary>
    public async Task<JsonElement> CallAsync(string name, string argumentsJson = "{}")
    {
        var arguments = JsonSerializer.Deserialize<Dictionary<string, object?>>(argumentsJson)!;
        var result = await Function(name).InvokeAsync(new AIFunctionArguments(arguments)).AsTask().WaitAsync(HangGuard);
        return Assert.IsType<JsonElement>(result);
    }

    /// <summary>Calls a tool with arguments given as CLR values, as a hand-built call passes them.</summary>
    public async Task<JsonElement> CallWithValuesAsync(string name, IDictionary<string, object?> arguments)
    {
        var result = await Function(name).InvokeAsync(new AIFunctionArguments(arguments)).AsTask().WaitAsync(HangGuard);
        return Assert.IsType<JsonElement>(result);
    }

    public async Task<string> SpawnAsync(string task, string? name = null)
    {
        var arguments = name is null
            ? JsonSerializer.Serialize(new { agent = "researcher", task })
            : JsonSerializer.Serialize(new { agent = "researcher", task, name });
        var result = await CallAsync("spawn_agent", arguments);
        return result.GetProperty("task_id").GetString()!;
    }

    /// <summary>Ends the body working on <paramref name="task"/> with <paramref name="result"/>.</summary>
    public void Finish(string task, TaskResult result) => Gate(task).TrySetResult(result);

    public async Task<TaskSummary> FinishAndWaitAsync(string task, TaskResult result)
    {
        Finish(task, result);
        return await Manager.WaitAsync(await StartedAsync(task)).WaitAsync(HangGuard);
    }

    /// <summary>The id of the task whose body got <paramref name="task"/>, once that body has started.</summary>
    public Task<string> StartedAsync(string task) => Started(task).Task.WaitAsync(HangGuard);

    /// <summary>The next agent message a body received: (task id, from, content).</summary>
    public async Task<(string TaskId, string From, string Content)> NextReceivedAsync() =>
        await _received.Reader.ReadAsync().AsTask().WaitAsync(HangGuard);

    public bool HasStarted(string task) => Started(task).Task.IsCompleted;

    public async ValueTask DisposeAsync()
    {
        await Manager.DisposeAsync();
        Store.Dispose();
    }

    public static string Error(JsonElement result) => result.GetProperty("error").GetString()!;

    private TaskCompletionSource<TaskResult> Gate(string task) =>
        _gates.GetOrAdd(task, _ => new TaskCompletionSource<TaskResult>(TaskCreationOptions.RunContinuationsAsynchronously));

    private TaskCompletionSource<string> Started(string task) =>
        _started.GetOrAdd(task, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task<TaskResult> ResearchAsync(string task, AgentTaskContext context)
    {
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var reading = ReadMessagesAsync(context, stopReading.Token);
        Started(task).TrySetResult(context.TaskId);
        try
        {
            return await Gate(task).Task.WaitAsync(context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            return TaskResult.Cancelled;
        }
        finally
        {
            await stopReading.CancelAsync();
            await reading;
        }
    }

    private async Task ReadMessagesAsync(AgentTaskContext context, CancellationToken stop)
    {
        while (await context.Inbox.ReceiveAsync(stop) is TaskEvent.Custom { EventType: "agent_message" } message)
        {
            _received.Writer.TryWrite((context.TaskId, message.Payload.GetProperty("from").GetString()!,
                message.Payload.GetProperty("content").GetString()!));
        }
    }
}
