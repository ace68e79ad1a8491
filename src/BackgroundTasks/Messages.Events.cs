namespace BackgroundTasks;

internal static partial class Messages
{
    public const string EventsExpiredDefault = "Some of the thread's events after the requested sequence are no longer retained.";

    public static string EventsExpired(string ownerThreadId, long requestedAfter, long oldestRetained) => oldestRetained == 0
        ? Format("The events of thread '{0}' after sequence {1} are no longer retained, and none is retained now; "
            + "reload the thread's state and observe its live events.", ownerThreadId, requestedAfter)
        : Format("The events of thread '{0}' after sequence {1} are no longer retained: the oldest retained is {2}; "
            + "reload the thread's state and observe again.", ownerThreadId, requestedAfter, oldestRetained);

    public static string NegativeAfterSequence(long afterSequence) =>
        Format("afterSequence must be null (live events only) or at least 0, but it is {0}.", afterSequence);

    public static string ProgressOutOfRange(double fraction) =>
        Format("A progress fraction must be between 0 and 1 (or null when unknown), but it is {0}.", fraction);
}
