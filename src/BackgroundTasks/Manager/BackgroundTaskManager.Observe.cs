using System.Reactive.Linq;
using BackgroundTasks.Caching;

namespace BackgroundTasks;

public sealed partial class BackgroundTaskManager
{
    /// <summary>Every custom and terminal event of this manager's tasks, whether an owner inbox is bound or not.</summary>
    /// <remarks>
    /// Hot: a subscriber sees events from the moment it subscribes. Observers are called one at a time,
    /// outside every lock, and see each task's events in emit order. Completes when the manager is disposed.
    /// </remarks>
    public IObservable<TaskEvent> Events => _events;

    /// <summary>The current record of a task, then each change; completes after a terminal one.</summary>
    /// <param name="taskId">The task id. If the store has no such task yet, the stream waits for it.</param>
    /// <returns>A cold stream per subscriber.</returns>
    /// <remarks>May be called before a store is bound: the stream then delivers from the moment one is.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="taskId"/> is null.</exception>
    public IObservable<TaskSummary> Watch(string taskId)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        return OnceStoreBound(store => Observable.Create<TaskSummary>(observer => store.Tasks.Watch(taskId).Subscribe(
            change =>
            {
                if (change.Reason == ChangeReason.Remove)
                {
                    observer.OnCompleted();
                    return;
                }

                observer.OnNext(change.Current);
                if (change.Current.Status.IsTerminal())
                {
                    observer.OnCompleted();
                }
            },
            observer.OnError,
            observer.OnCompleted)));
    }

    /// <summary>The store's change sets, for one owner thread or for all: the current records as Adds, then every change.</summary>
    /// <param name="ownerThreadId">The owner thread to follow, or null for every task.</param>
    /// <returns>A cold stream per subscriber, with no gap and no duplicate between snapshot and changes.</returns>
    /// <remarks>
    /// May be called before a store is bound: the stream then delivers from the moment one is (its first change set
    /// is the store's contents then). Observers run on the thread that made the change; a slow observer should add
    /// <c>ObserveOn</c> so it does not hold up spawns.
    /// </remarks>
    public IObservable<IChangeSet<TaskSummary, string>> Connect(string? ownerThreadId = null) =>
        OnceStoreBound(store => ownerThreadId is null
            ? store.Tasks.Connect()
            : store.Tasks.Connect(summary => summary.OwnerThreadId == ownerThreadId));
}
