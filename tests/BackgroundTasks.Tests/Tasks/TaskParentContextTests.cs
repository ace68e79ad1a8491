namespace BackgroundTasks.Tests.Tasks;

public class TaskParentContextTests
{
    [Fact]
    public void None_AllFieldsNull_IsEmpty()
    {
        TaskParentContext none = TaskParentContext.None;

        Assert.True(none.IsEmpty);
        Assert.Null(none.TaskId);
        Assert.Null(none.RunId);
        Assert.Null(none.CallId);
        Assert.Null(none.AgentId);
    }

    [Fact]
    public void None_ComparedWithNewEmpty_IsEqual() =>
        Assert.Equal(TaskParentContext.None, new TaskParentContext());

    [Fact]
    public void None_ReadTwice_IsSameInstance() =>
        Assert.Same(TaskParentContext.None, TaskParentContext.None);

    [Theory]
    [InlineData("task")]
    [InlineData("run")]
    [InlineData("call")]
    [InlineData("agent")]
    public void IsEmpty_OneFieldSet_IsFalse(string field)
    {
        TaskParentContext context = field switch
        {
            "task" => new() { TaskId = "bg_1" },
            "run" => new() { RunId = "r1" },
            "call" => new() { CallId = "c1" },
            _ => new() { AgentId = "a1" },
        };

        Assert.False(context.IsEmpty);
    }
}
