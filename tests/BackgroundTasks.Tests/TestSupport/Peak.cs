namespace BackgroundTasks.Tests.TestSupport;

/// <summary>The highest value a counter shared by racing threads reached.</summary>
internal static class Peak
{
    /// <summary>Raises <paramref name="target"/> to <paramref name="value"/> if that is higher, atomically.</summary>
    public static void Raise(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
