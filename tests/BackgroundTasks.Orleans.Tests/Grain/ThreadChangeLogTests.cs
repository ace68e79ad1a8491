using System.Threading.Channels;
using BackgroundTasks.Caching;

namespace BackgroundTasks.Orleans.Tests.Grain;

/// <summary>The per-activation change log behind ConnectThread: replay after a cursor, snapshot otherwise.</summary>
public sealed class ThreadChangeLogTests : IDisposable
{
    private readonly SourceCache<TaskSummary, string> _cache = new(summary => summary.TaskId);

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void Open_NoCursor_StartsWithASnapshotThenEveryChange()
    {
        _cache.AddOrUpdate(Task("bg_0"));
        using var log = new ThreadChangeLog(_cache, capacity: 8);

        var reader = log.Open(ThreadCursor.None, CancellationToken.None);
        _cache.AddOrUpdate(Task("bg_1"));

        var snapshot = Read(reader);
        var next = Read(reader);
        Assert.True(snapshot.IsSnapshot);
        Assert.Equal(["bg_0"], snapshot.Changes.Select(c => c.Current.TaskId));
        Assert.Equal((false, snapshot.Version + 1, ChangeReason.Add), (next.IsSnapshot, next.Version, next.Changes.Single().Reason));
    }

    [Fact]
    public void Open_CursorOfThisEpoch_ReplaysOnlyWhatCameAfterIt()
    {
        using var log = new ThreadChangeLog(_cache, capacity: 8);
        _cache.AddOrUpdate(Task("bg_0"));
        _cache.AddOrUpdate(Task("bg_1"));
        _cache.AddOrUpdate(Task("bg_2"));

        var reader = log.Open(new ThreadCursor(log.Epoch, 1), CancellationToken.None);

        Assert.Equal([2L, 3L], [Read(reader).Version, Read(reader).Version]);
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void Open_CursorOfAnotherEpochOrTooOld_GetsASnapshot()
    {
        using var log = new ThreadChangeLog(_cache, capacity: 2);
        for (var i = 0; i < 4; i++)
        {
            _cache.AddOrUpdate(Task("bg_" + i));
        }

        Assert.True(Read(log.Open(new ThreadCursor("another", 3), CancellationToken.None)).IsSnapshot);
        var tooOld = Read(log.Open(new ThreadCursor(log.Epoch, 1), CancellationToken.None));
        Assert.Equal((true, 4), (tooOld.IsSnapshot, tooOld.Changes.Count));
    }

    [Fact]
    public async Task Open_TokenCancelled_UnregistersAndCompletesTheReader()
    {
        using var log = new ThreadChangeLog(_cache, capacity: 8);
        using var cancel = new CancellationTokenSource();
        var reader = log.Open(ThreadCursor.None, cancel.Token);
        Assert.Equal(1, log.ReaderCount);

        await cancel.CancelAsync();

        Assert.Equal(0, log.ReaderCount);
        Read(reader);
        Assert.True(reader.Completion.IsCompleted);
    }

    [Fact]
    public void Dispose_CompletesEveryReader_AndLaterReadersGetTheirSnapshotOnly()
    {
        var log = new ThreadChangeLog(_cache, capacity: 8);
        var reader = log.Open(ThreadCursor.None, CancellationToken.None);

        log.Dispose();
        var late = log.Open(ThreadCursor.None, CancellationToken.None);

        Read(reader);
        Assert.True(reader.Completion.IsCompleted);
        Assert.True(Read(late).IsSnapshot);
        Assert.True(late.Completion.IsCompleted);
    }

    private static ThreadChangeBatch Read(ChannelReader<ThreadChangeBatch> reader) =>
        reader.TryRead(out var batch) ? batch : throw new Xunit.Sdk.XunitException("No batch was ready.");

    private static TaskSummary Task(string id) => new() { TaskId = id, OwnerThreadId = "t", TaskType = "x", Description = "d" };
}
