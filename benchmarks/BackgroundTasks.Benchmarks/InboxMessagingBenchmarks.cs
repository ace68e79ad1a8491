using System.Text.Json;
using System.Threading.Tasks.Dataflow;
using BenchmarkDotNet.Attributes;

namespace BackgroundTasks.Benchmarks;

/// <summary>
/// "How fast can I message a sub-agent?" M messages through <see cref="BackgroundTaskManager.SendTaskInboxMessageAsync"/>
/// to one live sub-agent that consumes its inbox, against a raw <see cref="BufferBlock{T}"/> with one producer
/// posting and one consumer calling ReceiveAsync. Reported per message.
/// </summary>
/// <remarks>
/// The sent message's <see cref="TaskEvent.Custom.Payload"/> is built on its first read, so the send rows are the
/// sender's side; the two rows whose consumer reads the message (with <see cref="AgentMessage.TryParse"/>, or through
/// <c>Payload</c> as before TryParse existed) show what the receiving side adds.
/// </remarks>
[MemoryDiagnoser]
public class InboxMessagingBenchmarks
{
    private const int M = 10_000;
    private const string Sender = "parent";
    private const string Content = "hello";

    private readonly Countdown _countdown = new();
    private readonly BufferBlock<TaskEvent> _buffer = new();
    private BackgroundTaskManager _manager = null!;
    private string _agentId = null!;
    private string _parsingAgentId = null!;
    private string _payloadReadingAgentId = null!;
    private Task _rawConsumer = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _rawConsumer = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    await _buffer.ReceiveAsync();
                    _countdown.Signal();
                }
            }
            catch (InvalidOperationException)
            {
                // ReceiveAsync's way of saying the block completed (GlobalCleanup).
            }
        });

        _manager = Workload.NewManager();
        _agentId = await _manager.SpawnAgentWithContextAsync(Workload.Owner, "consumer", "consumes its inbox", TaskParentContext.None,
            async context =>
            {
                while (await context.Inbox.ReceiveAsync(context.CancellationToken) is not null)
                {
                    _countdown.Signal();
                }

                return TaskResult.Cancelled;
            });
        _parsingAgentId = await _manager.SpawnAgentWithContextAsync(Workload.Owner, "parser", "parses its inbox", TaskParentContext.None,
            async context =>
            {
                while (await context.Inbox.ReceiveAsync(context.CancellationToken) is { } message)
                {
                    if (AgentMessage.TryParse(message, out var parsed) && parsed.Content.Length == Content.Length)
                    {
                        _countdown.Signal();
                    }
                }

                return TaskResult.Cancelled;
            });
        _payloadReadingAgentId = await _manager.SpawnAgentWithContextAsync(Workload.Owner, "reader", "reads payloads", TaskParentContext.None,
            async context =>
            {
                while (await context.Inbox.ReceiveAsync(context.CancellationToken) is TaskEvent.Custom message)
                {
                    if (message.Payload.GetProperty("content").GetString()?.Length == Content.Length)
                    {
                        _countdown.Signal();
                    }
                }

                return TaskResult.Cancelled;
            });
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _buffer.Complete();
        await _rawConsumer;
        await _manager.DisposeAsync();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = M, Description = "Raw BufferBlock Post/ReceiveAsync")]
    public Task RawBufferBlock()
    {
        var done = _countdown.Arm(M);
        var payload = Workload.Value;
        for (var i = 0; i < M; i++)
        {
            _buffer.Post(new TaskEvent.Custom("bg_0", "agent_message", payload));
        }

        return done;
    }

    /// <summary>
    /// The floor plus the one thing the contract makes every send do: build the message's JSON payload
    /// (<c>{"from", "content"}</c>) as a <see cref="JsonElement"/>. Shows how much of the gap is the payload.
    /// </summary>
    [Benchmark(OperationsPerInvoke = M, Description = "Raw BufferBlock + JSON payload per message")]
    public Task RawBufferBlockWithPayload()
    {
        var done = _countdown.Arm(M);
        for (var i = 0; i < M; i++)
        {
            var payload = JsonSerializer.SerializeToElement(new { from = Sender, content = Content });
            _buffer.Post(new TaskEvent.Custom("bg_0", "agent_message", payload));
        }

        return done;
    }

    [Benchmark(OperationsPerInvoke = M, Description = "SendTaskInboxMessageAsync")]
    public Task SendTaskInboxMessage() => SendAsync(_agentId);

    [Benchmark(OperationsPerInvoke = M, Description = "SendTaskInboxMessageAsync, consumer calls AgentMessage.TryParse")]
    public Task SendTaskInboxMessageThenParse() => SendAsync(_parsingAgentId);

    [Benchmark(OperationsPerInvoke = M, Description = "SendTaskInboxMessageAsync, consumer reads Payload")]
    public Task SendTaskInboxMessageThenReadPayload() => SendAsync(_payloadReadingAgentId);

    private async Task SendAsync(string agentId)
    {
        var done = _countdown.Arm(M);
        for (var i = 0; i < M; i++)
        {
            await _manager.SendTaskInboxMessageAsync(agentId, Workload.Owner, Sender, Content);
        }

        await done;
    }
}
