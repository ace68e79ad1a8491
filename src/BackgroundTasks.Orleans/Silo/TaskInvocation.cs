using System.Text.Json;

namespace BackgroundTasks.Orleans;

/// <summary>What a task body registered on a silo is given besides its task context: who asked, with what, and where.</summary>
/// <remarks>
/// <see cref="Thread"/> is the grain of the body's own thread. Spawns made through it (or through any reference to
/// the same thread) from the body's flow get the body's task as their parent task and inherit its run id, as
/// spawns inside a body do in process.
/// </remarks>
public sealed class TaskInvocation
{
    internal TaskInvocation(string ownerThreadId, JsonElement input, IServiceProvider services, IBackgroundTaskThreadGrain thread)
    {
        OwnerThreadId = ownerThreadId;
        Input = input;
        Services = services;
        Thread = thread;
    }

    /// <summary>The owner thread (conversation) the task belongs to: the key of its thread grain.</summary>
    public string OwnerThreadId { get; }

    /// <summary>The input the spawn carried, as JSON.</summary>
    public JsonElement Input { get; }

    /// <summary>The hosting silo's services.</summary>
    public IServiceProvider Services { get; }

    /// <summary>This thread's grain, to spawn children (they get this task as their parent).</summary>
    public IBackgroundTaskThreadGrain Thread { get; }
}
