namespace BackgroundTasks.Tests.Lineage;

public sealed class ToolLineageTests
{
    [Fact]
    public void Begin_NestsAndRestoresTheEnclosingScope()
    {
        using (ToolLineage.Begin("run-1", "call-1", "agent-1"))
        {
            using (ToolLineage.Begin("run-2", "call-2", "agent-2"))
            {
                Assert.Equal("run-2", ToolLineage.Current!.RunId);
            }

            Assert.Equal("run-1", ToolLineage.Current!.RunId);
        }

        Assert.Null(ToolLineage.Current);
    }

    [Fact]
    public async Task Begin_FlowsAcrossAwaits()
    {
        using (ToolLineage.Begin("run-1", "call-1", "agent-1"))
        {
            await Task.Yield();
            Assert.Equal("call-1", ToolLineage.Current!.CallId);
        }
    }

    [Fact]
    public void Begin_ValidatesArguments()
    {
        Assert.Throws<ArgumentNullException>(() => ToolLineage.Begin(null!, "c", "a"));
        Assert.Throws<ArgumentException>(() => ToolLineage.Begin("r", "", "a"));
        Assert.Throws<ArgumentException>(() => ToolLineage.Begin("r", "c", ""));
    }
}
