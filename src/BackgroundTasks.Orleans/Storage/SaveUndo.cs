using Orleans;

namespace BackgroundTasks.Orleans;

/// <summary>
/// One save's changes to a thread's stored records, made in place and remembered so that a failed write can put the
/// records, their positions and the state's ETag back as they were. Costs what the save changes, not what the
/// thread holds.
/// </summary>
internal sealed class SaveUndo
{
    private readonly List<string> _records;
    private readonly Dictionary<string, int> _positions;
    private readonly int _countBefore;
    private readonly string? _eTagBefore;
    private readonly bool _recordExistedBefore;
    private List<(int Position, string Json)>? _replaced;
    private List<string>? _appended;

    public SaveUndo(List<string> records, Dictionary<string, int> positions, string? eTag, bool recordExists)
    {
        _records = records;
        _positions = positions;
        _countBefore = records.Count;
        _eTagBefore = eTag;
        _recordExistedBefore = recordExists;
    }

    /// <summary>Stores <paramref name="json"/> as the record of <paramref name="taskId"/>: in its place, or appended if new.</summary>
    public void Put(string taskId, string json)
    {
        if (!_positions.TryGetValue(taskId, out var position))
        {
            _positions.Add(taskId, _records.Count);
            _records.Add(json);
            (_appended ??= []).Add(taskId);
            return;
        }

        // A record appended by this very save goes with the truncation; only older ones need their text kept.
        if (position < _countBefore)
        {
            (_replaced ??= []).Add((position, _records[position]));
        }

        _records[position] = json;
    }

    /// <summary>Puts the records, positions and the ETag of <paramref name="state"/> back as they were before the save.</summary>
    public void Revert(GrainState<ThreadRecordsState> state)
    {
        foreach (var taskId in _appended ?? [])
        {
            _positions.Remove(taskId);
        }

        _records.RemoveRange(_countBefore, _records.Count - _countBefore);

        // Backwards, so a record replaced twice in one batch ends with its oldest text.
        for (var i = (_replaced?.Count ?? 0) - 1; i >= 0; i--)
        {
            var (position, json) = _replaced![i];
            _records[position] = json;
        }

        state.ETag = _eTagBefore;
        state.RecordExists = _recordExistedBefore;
    }
}
