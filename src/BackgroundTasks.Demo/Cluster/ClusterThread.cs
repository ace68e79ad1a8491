using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using BackgroundTasks.Orleans;
using Orleans;

namespace BackgroundTasks.Demo.Cluster;

/// <summary>
/// One conversation of the cluster scenario: an owner thread with its own grain, a research agent, and a board fed
/// by <c>ConnectThread</c> and <c>ObserveThreadEvents</c> from the client.
/// </summary>
internal sealed class ClusterThread : IDisposable
{
    private readonly IClusterClient _client;
    private TaskBoard? _board;

    public ClusterThread(IClusterClient client, ResearchPlan plan)
    {
        _client = client;
        Plan = plan;
        ThreadId = "research-" + plan.Name;
        Grain = client.GetBackgroundTaskThread(ThreadId);
    }

    public ResearchPlan Plan { get; }

    public string ThreadId { get; }

    public IBackgroundTaskThreadGrain Grain { get; }

    /// <exception cref="InvalidOperationException"><see cref="Connect"/> was not called yet.</exception>
    public TaskBoard Board => _board ?? throw new InvalidOperationException($"{ThreadId} is not connected yet.");

    /// <summary>The silos that hosted the thread, in order (more than one after a kill).</summary>
    public List<string> Hosts { get; } = [];

    /// <summary>The id of the thread's current research agent.</summary>
    public string AgentId { get; set; } = string.Empty;

    /// <summary>The first of the thread's custom events that <paramref name="predicate"/> accepts, replayed if it already happened.</summary>
    public Task<TaskEvent.Custom> FirstCustomAsync(Func<TaskEvent.Custom, bool> predicate) =>
        _client.ObserveThreadEvents(ThreadId, afterSequence: 0).OfType<TaskEvent.Custom>().Where(predicate).FirstAsync().ToTask();

    /// <summary>
    /// Starts the board. Only once the thread is placed: its subscriptions call the grain, and the first call to a grain
    /// is the one that decides where it lives.
    /// </summary>
    public void Connect(Action<string> onLine, long started) =>
        _board = new TaskBoard(_client.ConnectThread(ThreadId), _client.ObserveThreadEvents(ThreadId, afterSequence: 0), onLine,
            Plan.Name.PadRight(8), started);

    public void Dispose() => _board?.Dispose();
}
