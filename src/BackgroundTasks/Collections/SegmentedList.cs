using System.Numerics;
using System.Runtime.CompilerServices;

namespace BackgroundTasks.Collections;

/// <summary>
/// A list that grows by whole segments of at most 64 KB: appending never copies what is there, and no segment lands on
/// the large object heap (see <see cref="SegmentedArray{T}"/> for why that matters).
/// </summary>
/// <remarks>Only what <see cref="IdGroups"/> needs: append, read and write by index, and cutting the tail off. Not thread-safe.</remarks>
/// <typeparam name="T">The type of the elements.</typeparam>
internal sealed class SegmentedList<T>
{
    private const int SegmentBytes = 64 * 1024;
    private const int FirstSegmentLength = 4;

    private static readonly int s_shift = BitOperations.Log2((uint)Math.Max(1, SegmentBytes / Unsafe.SizeOf<T>()));
    private static readonly int s_mask = (1 << s_shift) - 1;

    // Full segments of 1 << s_shift elements, except a first that starts small and doubles up to that length, so a
    // list of one element costs a few slots, not 64 KB.
    private T[][] _segments = [];

    /// <summary>The number of elements.</summary>
    public int Count { get; private set; }

    /// <summary>The element at <paramref name="index"/>, by reference.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, <see cref="Count"/>).</exception>
    public ref T this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            return ref _segments[index >> s_shift][index & s_mask];
        }
    }

    /// <summary>Appends <paramref name="item"/>.</summary>
    public void Add(T item)
    {
        var segment = Count >> s_shift;
        var offset = Count & s_mask;
        if (segment == _segments.Length)
        {
            Array.Resize(ref _segments, segment + 1);
            _segments[segment] = new T[segment == 0 ? FirstSegmentLength : 1 << s_shift];
        }
        else if (offset == _segments[segment].Length)
        {
            // Only the first segment is ever short: it doubles until it is full-length.
            Array.Resize(ref _segments[segment], Math.Min(2 * offset, 1 << s_shift));
        }

        _segments[segment][offset] = item;
        Count++;
    }

    /// <summary>Keeps the first <paramref name="count"/> elements, dropping the segments the rest occupied.</summary>
    public void Truncate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)count, (uint)Count, nameof(count));
        var keptSegments = count == 0 ? 0 : ((count - 1) >> s_shift) + 1;
        if (keptSegments < _segments.Length)
        {
            Array.Resize(ref _segments, keptSegments);
        }

        if (keptSegments > 0 && RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            // The kept last segment's tail must not hold on to what was dropped.
            var last = _segments[keptSegments - 1];
            var used = count - ((keptSegments - 1) << s_shift);
            Array.Clear(last, used, last.Length - used);
        }

        Count = count;
    }
}
