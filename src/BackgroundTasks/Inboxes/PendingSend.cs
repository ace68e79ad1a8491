using System.Diagnostics;

namespace BackgroundTasks;

/// <summary>
/// A message an <see cref="InboxSender"/> queued because its target was full (or earlier messages were still
/// queued), waiting for its turn to be offered with back-pressure.
/// </summary>
internal sealed class PendingSend
{
    private const int Queued = 0;
    private const int Offering = 1;
    private const int Done = 2;

    private readonly TaskCompletionSource<bool>? _completion;
    private CancellationTokenRegistration _registration;
    private int _state;

    /// <summary>A message queued by <see cref="InboxSender.Send"/>: nobody awaits it.</summary>
    internal PendingSend(TaskEvent message)
    {
        Message = message;
    }

    /// <summary>A message queued by <see cref="InboxSender.SendAsync"/>: its caller awaits <see cref="Task"/>.</summary>
    internal PendingSend(TaskEvent message, CancellationToken cancellationToken)
    {
        Message = message;
        CancellationToken = cancellationToken;
        _completion = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    internal TaskEvent Message { get; }

    internal CancellationToken CancellationToken { get; }

    /// <summary>True when a <see cref="InboxSender.SendAsync"/> caller waits for the outcome.</summary>
    internal bool IsAwaited => _completion is not null;

    internal Task<bool> Task
    {
        get
        {
            Debug.Assert(_completion is not null, "Only SendAsync entries are awaited.");
            return _completion.Task;
        }
    }

    /// <summary>Cancels the wait once the token fires, unless the message is already being offered.</summary>
    internal void RegisterCancellation()
    {
        if (CancellationToken.CanBeCanceled)
        {
            _registration = CancellationToken.UnsafeRegister(
                static state => ((PendingSend)state!).TryCancelWhileQueued(), this);
        }
    }

    /// <summary>Claims the entry for offering; false when its caller cancelled it while it was queued.</summary>
    internal bool TryStartOffering() => Interlocked.CompareExchange(ref _state, Offering, Queued) == Queued;

    /// <summary>Reports the outcome the offer produced (accepted or refused).</summary>
    internal void Complete(bool accepted)
    {
        // A queued entry may be refused without being offered (the target closed meanwhile).
        if (Interlocked.Exchange(ref _state, Done) != Done)
        {
            _completion?.TrySetResult(accepted);
        }

        _registration.Dispose();
    }

    /// <summary>Reports that the token fired while the message was being offered, so it was not accepted.</summary>
    internal void CompleteCancelled()
    {
        Volatile.Write(ref _state, Done);
        _completion?.TrySetCanceled(CancellationToken);
        _registration.Dispose();
    }

    private void TryCancelWhileQueued()
    {
        // While the message is being offered the offer itself observes the token, so only a queued entry is
        // cancelled here; otherwise the caller could see "cancelled" for a message the target accepted.
        if (Interlocked.CompareExchange(ref _state, Done, Queued) == Queued)
        {
            _completion?.TrySetCanceled(CancellationToken);
        }
    }
}
