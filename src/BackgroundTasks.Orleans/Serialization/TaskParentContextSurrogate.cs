using Orleans;

namespace BackgroundTasks.Orleans;

/// <summary>A <see cref="TaskParentContext"/> on the wire.</summary>
[GenerateSerializer]
internal struct TaskParentContextSurrogate
{
    [Id(0)]
    public string? TaskId;

    [Id(1)]
    public string? RunId;

    [Id(2)]
    public string? CallId;

    [Id(3)]
    public string? AgentId;
}

/// <summary>Converts <see cref="TaskParentContext"/>; an empty one arrives as <see cref="TaskParentContext.None"/>.</summary>
[RegisterConverter]
internal sealed class TaskParentContextSurrogateConverter : IConverter<TaskParentContext, TaskParentContextSurrogate>
{
    public TaskParentContext ConvertFromSurrogate(in TaskParentContextSurrogate surrogate)
    {
        var context = new TaskParentContext { TaskId = surrogate.TaskId, RunId = surrogate.RunId, CallId = surrogate.CallId, AgentId = surrogate.AgentId };
        return context.IsEmpty ? TaskParentContext.None : context;
    }

    public TaskParentContextSurrogate ConvertToSurrogate(in TaskParentContext value) =>
        new() { TaskId = value.TaskId, RunId = value.RunId, CallId = value.CallId, AgentId = value.AgentId };
}
