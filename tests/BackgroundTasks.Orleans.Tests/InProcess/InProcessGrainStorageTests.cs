using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace BackgroundTasks.Orleans.Tests.InProcess;

public sealed class InProcessGrainStorageTests
{
    private static readonly GrainId s_grain = GrainId.Create("backgroundtaskthread", "t1");
    private readonly InProcessGrainStorage _storage = new();

    [Fact]
    public async Task WriteStateAsync_ThenRead_GivesACopyOfTheRecordsAndTheirETag()
    {
        var written = new GrainState<ThreadRecordsState>(new ThreadRecordsState { Records = ["a", "b"] });
        await _storage.WriteStateAsync("s", s_grain, written);
        written.State!.Records.Add("changed after the write");

        var read = new GrainState<ThreadRecordsState>(new ThreadRecordsState());
        await _storage.ReadStateAsync("s", s_grain, read);

        Assert.Equal(["a", "b"], read.State!.Records);
        Assert.Equal(written.ETag, read.ETag);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task WriteStateAsync_WithAStaleETag_ThrowsInconsistentState_AndKeepsTheStoredRecords()
    {
        var first = new GrainState<ThreadRecordsState>(new ThreadRecordsState { Records = ["first"] });
        await _storage.WriteStateAsync("s", s_grain, first);
        var stale = new GrainState<ThreadRecordsState>(new ThreadRecordsState { Records = ["stale"] });

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("s", s_grain, stale));

        Assert.Equal(OrleansMessages.ETagMoved(s_grain.ToString()), error.Message);
        var read = new GrainState<ThreadRecordsState>(new ThreadRecordsState());
        await _storage.ReadStateAsync("s", s_grain, read);
        Assert.Equal(["first"], read.State!.Records);
    }

    [Fact]
    public async Task ClearStateAsync_RemovesTheRecords()
    {
        var state = new GrainState<ThreadRecordsState>(new ThreadRecordsState { Records = ["a"] });
        await _storage.WriteStateAsync("s", s_grain, state);

        await _storage.ClearStateAsync("s", s_grain, state);

        var read = new GrainState<ThreadRecordsState>(new ThreadRecordsState());
        await _storage.ReadStateAsync("s", s_grain, read);
        Assert.Empty(read.State!.Records);
        Assert.False(read.RecordExists);
        Assert.Null(state.ETag);
    }

    [Fact]
    public async Task AnyOtherStateType_IsRefused_NamingIt()
    {
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => _storage.WriteStateAsync("s", s_grain, new GrainState<string>("x")));

        Assert.Equal(OrleansMessages.InProcessStateOnly("String"), error.Message);
    }

    [Fact]
    public async Task NullState_Throws()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => _storage.ReadStateAsync<ThreadRecordsState>("s", s_grain, null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _storage.WriteStateAsync<ThreadRecordsState>("s", s_grain, null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _storage.ClearStateAsync<ThreadRecordsState>("s", s_grain, null!));
    }
}
