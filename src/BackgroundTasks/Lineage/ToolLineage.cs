namespace BackgroundTasks;

/// <summary>
/// The ambient lineage of a tool call. Spawns inside a scope fill <see cref="TaskParentContext.RunId"/>,
/// <see cref="TaskParentContext.CallId"/> and <see cref="TaskParentContext.AgentId"/> where the given
/// parent context leaves them null.
/// </summary>
/// <remarks>
/// The scope flows with the async context (an <see cref="AsyncLocal{T}"/>), so awaits inside it keep it.
/// Task bodies start with no scope: a body's own tool calls begin their own.
/// </remarks>
public static class ToolLineage
{
    private static readonly AsyncLocal<LineageScope?> s_current = new();

    internal static LineageScope? Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }

    /// <summary>Begins a tool-call scope; dispose it to restore the scope that was current before.</summary>
    /// <param name="runId">The agent run making the call.</param>
    /// <param name="callId">The tool call.</param>
    /// <param name="agentId">The agent making the call.</param>
    /// <returns>A handle that ends the scope.</returns>
    /// <exception cref="ArgumentException">An argument is null or empty.</exception>
    public static IDisposable Begin(string runId, string callId, string agentId)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentException.ThrowIfNullOrEmpty(callId);
        ArgumentException.ThrowIfNullOrEmpty(agentId);

        var scope = new LineageScope(runId, callId, agentId, s_current.Value);
        s_current.Value = scope;
        return scope;
    }
}
