using System.Text.Json.Serialization;
using BackgroundTasks.Serialization;

namespace BackgroundTasks;

/// <summary>The lifecycle status of a background task.</summary>
/// <remarks>
/// Named so it never collides with <see cref="System.Threading.Tasks.TaskStatus"/>. In JSON a status is its
/// lower-case wire name (see <see cref="BackgroundTaskStatusExtensions.AsString"/>), never a number.
/// </remarks>
[JsonConverter(typeof(BackgroundTaskStatusJsonConverter))]
public enum BackgroundTaskStatus
{
    /// <summary>The task body is running (or was running when its record was last written).</summary>
    Running,

    /// <summary>The task body returned a successful result.</summary>
    Completed,

    /// <summary>The task body failed, threw, returned null, or was orphaned by a restart.</summary>
    Failed,

    /// <summary>The task body observed cancellation and ended.</summary>
    Cancelled,

    /// <summary>
    /// The task waits for a free slot of its owner thread (<see cref="BackgroundTaskManagerOptions.MaxRunningPerOwner"/>);
    /// its body has not started. Not terminal: names, <c>HasRunningAsync</c> and every cancel scope count it.
    /// </summary>
    Queued,
}
