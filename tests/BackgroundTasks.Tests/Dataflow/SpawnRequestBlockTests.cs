using System.Threading.Tasks.Dataflow;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Dataflow;

public sealed class SpawnRequestBlockTests
{
    [Fact]
    public async Task CreateSpawnBlock_WithRequests_SpawnsWithTheNameParentContextAndOptionsOfEachInput()
    {
        await using var fixture = new ManagerFixture();
        var gate = new TaskCompletionSource();
        var parent = await fixture.SpawnGatedAsync(gate.Task);
        var block = fixture.Manager.CreateSpawnBlock<int>("t1", "square",
            i => new SpawnRequest("square " + i)
            {
                Name = "sq" + i,
                ParentContext = new TaskParentContext { TaskId = parent, RunId = "run-7" },
                Options = new SpawnOptions { ParentClosePolicy = ParentClosePolicy.Cancel },
            },
            (i, _) => Task.FromResult(TaskResult.Success(i * i)));

        block.Post(3);
        var summary = await block.ReceiveAsync().Guarded();
        gate.SetResult();

        Assert.Equal("sq3", summary.Name);
        Assert.Equal("square 3", summary.Description);
        Assert.Equal(parent, summary.ParentContext.TaskId);
        Assert.Equal("run-7", summary.ParentContext.RunId);
        Assert.Equal(9, summary.Result!.Value.GetInt32());
    }

    [Fact]
    public async Task CreateSpawnBlock_WithRequests_TheOptionsReachTheSpawn_SoAnOutOfRangeOneFaultsTheBlock()
    {
        await using var fixture = new ManagerFixture();
        var block = fixture.Manager.CreateSpawnBlock<int>("t1", "x",
            _ => new SpawnRequest("d") { Options = new SpawnOptions { Timeout = TimeSpan.Zero } },
            (_, _) => Task.FromResult(TaskResult.Success(0)));

        block.Post(1);

        var refused = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => block.Completion).Guarded();
        Assert.Equal("Timeout", refused.ParamName);
    }

    [Fact]
    public async Task CreateSpawnBlock_WithRequests_ARefusedSpawn_FaultsTheBlockWithIt()
    {
        await using var fixture = new ManagerFixture();
        var gate = new TaskCompletionSource();
        await fixture.SpawnGatedAsync(gate.Task, name: "dup");
        try
        {
            var block = fixture.Manager.CreateSpawnBlock<int>("t1", "x", _ => new SpawnRequest("same name") { Name = "dup" },
                (_, _) => Task.FromResult(TaskResult.Success(0)));

            block.Post(1);

            var refused = await Assert.ThrowsAsync<SpawnException>(() => block.Completion).Guarded();
            Assert.Equal(SpawnError.DuplicateName, refused.Error);
        }
        finally
        {
            gate.SetResult();
        }
    }

    [Fact]
    public async Task CreateSpawnBlock_WithRequests_ANullRequest_FaultsTheBlock_SayingSo()
    {
        await using var fixture = new ManagerFixture();
        var block = fixture.Manager.CreateSpawnBlock("t1", "x", (Func<int, SpawnRequest>)(_ => null!), (_, _) => Task.FromResult(TaskResult.Success(0)));

        block.Post(1);

        var fault = await Assert.ThrowsAsync<InvalidOperationException>(() => block.Completion).Guarded();
        Assert.Equal("The spawn block's request function returned null; return a SpawnRequest for every input.", fault.Message);
        Assert.Equal(0, fixture.Store.Tasks.Count);
    }

    [Fact]
    public async Task CreateSpawnBlock_WithRequests_ValidatesArguments()
    {
        await using var fixture = new ManagerFixture();
        Func<int, TaskContext, Task<TaskResult>> body = (_, _) => Task.FromResult(TaskResult.Success(0));
        Func<int, SpawnRequest> request = _ => new SpawnRequest("d");

        Assert.Throws<ArgumentNullException>(() => BackgroundTaskDataflow.CreateSpawnBlock(null!, "t1", "x", request, body));
        Assert.Throws<ArgumentException>(() => fixture.Manager.CreateSpawnBlock("", "x", request, body));
        Assert.Throws<ArgumentException>(() => fixture.Manager.CreateSpawnBlock("t1", "", request, body));
        Assert.Throws<ArgumentNullException>(() => fixture.Manager.CreateSpawnBlock("t1", "x", (Func<int, SpawnRequest>)null!, body));
        Assert.Throws<ArgumentNullException>(() => fixture.Manager.CreateSpawnBlock("t1", "x", request, null!));
    }

    [Fact]
    public void SpawnRequest_ValidatesItsValues()
    {
        var description = Assert.Throws<ArgumentNullException>(() => new SpawnRequest(null!));
        var name = Assert.Throws<ArgumentException>(() => new SpawnRequest("d") { Name = " " });
        var parent = Assert.Throws<ArgumentNullException>(() => new SpawnRequest("d") { ParentContext = null! });
        var options = Assert.Throws<ArgumentNullException>(() => new SpawnRequest("d") { Options = null! });

        Assert.Equal("description", description.ParamName);
        Assert.StartsWith("A task name must not be empty or whitespace; pass null for an unnamed task.", name.Message);
        Assert.Equal("Name", name.ParamName);
        Assert.Equal("ParentContext", parent.ParamName);
        Assert.Equal("Options", options.ParamName);

        var request = new SpawnRequest("d");
        Assert.Null(request.Name);
        Assert.Same(TaskParentContext.None, request.ParentContext);
        Assert.Same(SpawnOptions.Default, request.Options);
    }
}
