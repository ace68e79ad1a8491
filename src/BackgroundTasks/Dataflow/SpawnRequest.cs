namespace BackgroundTasks;

/// <summary>
/// What a spawn block (<see cref="BackgroundTaskDataflow.CreateSpawnBlock{TInput}(BackgroundTaskManager, string, string, Func{TInput, SpawnRequest}, Func{TInput, TaskContext, Task{TaskResult}}, System.Threading.Tasks.Dataflow.ExecutionDataflowBlockOptions?)"/>)
/// spawns for one input: the task's description and, when wanted, its name, lineage and runtime controls.
/// </summary>
/// <remarks>
/// The values mean what the arguments of the same names mean to
/// <see cref="BackgroundTaskManager.SpawnAsync(string, string, string?, string, TaskParentContext, SpawnOptions, Func{TaskContext, Task{TaskResult}})"/>.
/// </remarks>
/// <example>
/// <code>
/// var block = manager.CreateSpawnBlock&lt;Page&gt;("t1", "fetch",
///     page => new SpawnRequest("fetch " + page.Url) { Name = page.Slug, Options = new SpawnOptions { Timeout = TimeSpan.FromMinutes(1) } },
///     (page, context) => FetchAsync(page, context));
/// </code>
/// </example>
public sealed record SpawnRequest
{
    /// <summary>A request with a description, no name, no lineage of its own and <see cref="SpawnOptions.Default"/>.</summary>
    /// <param name="description">What the task does, for people.</param>
    /// <exception cref="ArgumentNullException"><paramref name="description"/> is null.</exception>
    public SpawnRequest(string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        Description = description;
    }

    /// <summary>What the task does, for people.</summary>
    public string Description { get; }

    /// <summary>An optional name, unique among the owner thread's live tasks. Default: null, unnamed.</summary>
    /// <exception cref="ArgumentException">The name is empty or whitespace (use null for an unnamed task).</exception>
    public string? Name
    {
        get;
        init
        {
            if (value is not null && string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException(Messages.WhitespaceName, nameof(Name));
            }

            field = value;
        }
    }

    /// <summary>
    /// The task's lineage. Default: <see cref="TaskParentContext.None"/>, which the spawn fills from the running task
    /// body and the ambient <see cref="ToolLineage"/> scope, as every spawn does.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public TaskParentContext ParentContext
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(ParentContext));
    } = TaskParentContext.None;

    /// <summary>The task's runtime controls. Default: <see cref="SpawnOptions.Default"/>.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public SpawnOptions Options
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Options));
    } = SpawnOptions.Default;
}
