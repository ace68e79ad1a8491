using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace BackgroundTasks.Collections;

/// <summary>
/// A fixed-length array stored as segments of at most 64 KB each, so that none of them lands on the large object
/// heap, whatever the length.
/// </summary>
/// <remarks>
/// An array of 85,000 bytes or more is allocated on the large object heap, and every such allocation counts toward
/// the budget that triggers a full (gen 2) collection. A store of 10k tasks grows its dictionaries through arrays of
/// 130-260 KB; a manager that fills such a store from empty (a new conversation, an Orleans grain's manager) paid
/// about one background gen 2 collection per 10k tasks for them. Segments are ordinary small objects: they are
/// collected young when they die young, and promoted like any other object when they live.
/// </remarks>
/// <typeparam name="T">The type of the elements.</typeparam>
internal readonly struct SegmentedArray<T>
{
    // Below the 85,000-byte threshold of the large object heap with room for the array header.
    private const int SegmentBytes = 64 * 1024;

    private static readonly int s_shift = BitOperations.Log2((uint)Math.Max(1, SegmentBytes / Unsafe.SizeOf<T>()));
    private static readonly int s_mask = (1 << s_shift) - 1;

    private readonly T[][]? _segments;

    /// <summary>Creates an array of <paramref name="length"/> default elements.</summary>
    public SegmentedArray(int length)
    {
        Debug.Assert(length >= 0);
        Length = length;
        if (length == 0)
        {
            return;
        }

        var segmentLength = 1 << s_shift;
        var segmentCount = ((length - 1) >> s_shift) + 1;
        _segments = new T[segmentCount][];
        for (var at = 0; at < segmentCount - 1; at++)
        {
            _segments[at] = new T[segmentLength];
        }

        // The last segment only as long as needed: a small array costs no more than a plain one would.
        _segments[segmentCount - 1] = new T[length - ((segmentCount - 1) << s_shift)];
    }

    /// <summary>The number of elements, 0 for the default value.</summary>
    public int Length { get; }

    /// <summary>The number of elements in one full segment (the same for every array of <typeparamref name="T"/>).</summary>
    internal static int SegmentLength => 1 << s_shift;

    /// <summary>The element at <paramref name="index"/>, by reference.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, <see cref="Length"/>).</exception>
    public ref T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Length)
            {
                ThrowIndexOutOfRange(index);
            }

            return ref _segments![index >> s_shift][index & s_mask];
        }
    }

    /// <summary>Copies the first <paramref name="count"/> elements into <paramref name="destination"/> (same start).</summary>
    public void CopyTo(SegmentedArray<T> destination, int count)
    {
        Debug.Assert(count <= Length && count <= destination.Length);
        for (int segment = 0, copied = 0; copied < count; segment++)
        {
            var length = Math.Min(SegmentLength, count - copied);
            Array.Copy(_segments![segment], 0, destination._segments![segment], 0, length);
            copied += length;
        }
    }

    private void ThrowIndexOutOfRange(int index) => throw new ArgumentOutOfRangeException(nameof(index), index, Messages.SegmentedIndexOutOfRange(index, Length));
}
