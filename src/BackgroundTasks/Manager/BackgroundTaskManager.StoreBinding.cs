using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace BackgroundTasks;

public sealed partial class BackgroundTaskManager
{
    // Completed by the first SetStore; observers that subscribed before it attach to the store then.
    private readonly TaskCompletionSource<TaskStateStore> _storeBound = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// The stream <paramref name="subscribeTo"/> gives for the bound store; before a store is bound, a stream that
    /// attaches to it once <see cref="SetStore"/> is called (a hosted service may subscribe in its constructor).
    /// </summary>
    /// <remarks>
    /// With a store bound, the subscription is made at once, on the subscribing thread, so a Connect subscriber still
    /// receives its snapshot before Subscribe returns. Before that, it is made on the thread pool right after the store
    /// is bound; disposing the subscription first means it is never made.
    /// </remarks>
    private IObservable<T> OnceStoreBound<T>(Func<TaskStateStore, IObservable<T>> subscribeTo)
    {
        if (Store is { } store)
        {
            return subscribeTo(store);
        }

        return Observable.Create<T>(observer =>
        {
            if (Store is { } bound)
            {
                return subscribeTo(bound).Subscribe(observer);
            }

            var subscription = new SingleAssignmentDisposable();
            var stopped = new CancellationDisposable();
            _ = _storeBound.Task.ContinueWith(
                static (bound, state) =>
                {
                    var (subscribeTo, observer, subscription, stopped) =
                        ((Func<TaskStateStore, IObservable<T>>, IObserver<T>, SingleAssignmentDisposable, CancellationDisposable))state!;
                    if (!stopped.IsDisposed)
                    {
                        subscription.Disposable = subscribeTo(bound.Result).Subscribe(observer);
                    }
                },
                (subscribeTo, observer, subscription, stopped),
                stopped.Token,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return new CompositeDisposable(stopped, subscription);
        });
    }
}
