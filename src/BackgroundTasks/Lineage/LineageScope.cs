namespace BackgroundTasks;

/// <summary>One <see cref="ToolLineage.Begin"/> scope; disposing it restores the enclosing one.</summary>
internal sealed class LineageScope(string runId, string callId, string agentId, LineageScope? previous) : IDisposable
{
    private int _disposed;

    public string RunId { get; } = runId;

    public string CallId { get; } = callId;

    public string AgentId { get; } = agentId;

    /// <summary>Fills the null RunId, CallId and AgentId of <paramref name="context"/> from this scope.</summary>
    public TaskParentContext Fill(TaskParentContext context) =>
        context.RunId is not null && context.CallId is not null && context.AgentId is not null
            ? context
            : context with
            {
                RunId = context.RunId ?? RunId,
                CallId = context.CallId ?? CallId,
                AgentId = context.AgentId ?? AgentId,
            };

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            ToolLineage.Current = previous;
        }
    }
}
