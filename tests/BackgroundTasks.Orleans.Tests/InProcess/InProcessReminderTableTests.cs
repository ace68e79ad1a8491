using Orleans;
using Orleans.Runtime;

namespace BackgroundTasks.Orleans.Tests.InProcess;

public sealed class InProcessReminderTableTests
{
    private static readonly GrainId s_grain = GrainId.Create("backgroundtaskthread", "t1");
    private readonly InProcessReminderTable _table = new();

    [Fact]
    public async Task UpsertRow_ThenReadRows_FindsItByGrainAndByItsRingRange()
    {
        var etag = await _table.UpsertRow(new ReminderEntry { GrainId = s_grain, ReminderName = "r", Period = TimeSpan.FromSeconds(1) });

        var hash = s_grain.GetUniformHashCode();
        Assert.Equal(etag, (await _table.ReadRow(s_grain, "r"))!.ETag);
        Assert.Single((await _table.ReadRows(s_grain)).Reminders);
        Assert.Single((await _table.ReadRows(hash - 1, hash)).Reminders);
        Assert.Empty((await _table.ReadRows(hash, hash + 1)).Reminders);
    }

    [Fact]
    public async Task RemoveRow_RemovesOnlyWithTheCurrentETag()
    {
        var etag = await _table.UpsertRow(new ReminderEntry { GrainId = s_grain, ReminderName = "r", Period = TimeSpan.FromSeconds(1) });

        Assert.False(await _table.RemoveRow(s_grain, "r", "stale"));
        Assert.True(await _table.RemoveRow(s_grain, "r", etag!));
        Assert.Null(await _table.ReadRow(s_grain, "r"));
    }

    [Fact]
    public async Task UpsertRow_Null_Throws() =>
        await Assert.ThrowsAsync<ArgumentNullException>(() => _table.UpsertRow(null!));
}
