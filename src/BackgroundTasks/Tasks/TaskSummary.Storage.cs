using System.Text.Json;

namespace BackgroundTasks;

// How a summary is stored. Every task allocates at least two summaries (Running, then terminal) and the store keeps
// the last, so their size is a large share of what a task allocates and retains (issue 11's profile). The public
// shape stays that of a plain record; only the storage is packed:
// - a DateTimeOffset field is 16 bytes (8 of ticks, 2 of offset, 6 of padding) and a nullable one 24, so each time
//   is kept as its UTC ticks (a long) and its offset in whole minutes (a short), the shorts packed together;
// - a nullable JsonElement is 24 bytes, so the result is a plain JsonElement (16) with a presence bit;
// - the presence of the result and of the two optional times are bits of one byte.
// That takes the instance from 176 to 136 bytes (TaskSummarySizeTests). The status and the attempt stay ints: the
// JsonElement's own padding keeps the total at 136 either way, and an int keeps any value a caller stores.
public sealed partial record TaskSummary
{
    private JsonElement _result;
    private long _createdAtUtcTicks;
    private long _completedAtUtcTicks;
    private long _startedAtUtcTicks;
    private short _createdAtOffsetMinutes;
    private short _completedAtOffsetMinutes;
    private short _startedAtOffsetMinutes;
    private Present _present;

    /// <summary>Which of the optional values a summary holds.</summary>
    [Flags]
    private enum Present : byte
    {
        None = 0,
        Result = 1,
        CompletedAt = 2,
        StartedAt = 4,
    }

    private bool Has(Present value) => (_present & value) != 0;

    private void Mark(Present value, bool present) => _present = present ? _present | value : _present & ~value;

    // A DateTimeOffset's offset is a whole number of minutes within ±14 hours, so it fits a short exactly.
    private static (long UtcTicks, short OffsetMinutes) Pack(DateTimeOffset value) =>
        (value.UtcTicks, (short)value.TotalOffsetMinutes);

    private static DateTimeOffset Unpack(long utcTicks, short offsetMinutes)
    {
        long offsetTicks = offsetMinutes * TimeSpan.TicksPerMinute;
        return new DateTimeOffset(utcTicks + offsetTicks, new TimeSpan(offsetTicks));
    }
}
