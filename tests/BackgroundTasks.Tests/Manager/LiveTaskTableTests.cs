namespace BackgroundTasks.Tests.Manager;

public sealed class LiveTaskTableTests : IAsyncDisposable
{
    private readonly BackgroundTaskManager _manager = new();
    private readonly LiveTaskTable _table = new();

    [Fact]
    public void Remove_EndedChild_UnlinksItFromItsParent()
    {
        var parent = Add("bg_0", null);
        var first = Add("bg_1", "bg_0");
        var second = Add("bg_2", "bg_0");
        var third = Add("bg_3", "bg_0");

        End(second);
        Assert.Equal([third, first], Children(parent));
        End(third);
        End(first);

        Assert.Null(parent.FirstChild);
        Assert.All([first, second, third], child => Assert.Null(child.LinkParent));
    }

    [Fact]
    public void Remove_ChildWithLiveChildren_StaysAsBridgeUntilItsLastChildEnds()
    {
        var root = Add("bg_0", null);
        var child = Add("bg_1", "bg_0");
        var grandchild = Add("bg_2", "bg_1");

        End(child);
        Assert.Same(child, root.FirstChild);
        Assert.Equal([root, grandchild], Collect(root));

        End(grandchild);
        Assert.Null(root.FirstChild);
        Assert.Equal([root], Collect(root));
    }

    [Fact]
    public void Add_ParentNotInTable_CountsAsUnlinkedUntilRemoved()
    {
        Add("bg_0", null);
        var orphan = Add("bg_5", "bg_4");

        Assert.True(_table.HasUnlinked);
        Assert.Null(orphan.LinkParent);

        End(orphan);
        Assert.False(_table.HasUnlinked);
    }

    [Fact]
    public void CollectSubtree_WideAndDeep_ReachesEveryLiveRuntimeOnce()
    {
        var root = Add("bg_0", null);
        var expected = new List<TaskRuntime> { root };
        var next = 1;
        for (var chain = 0; chain < 50; chain++)
        {
            var parentId = "bg_0";
            for (var depth = 0; depth < 40; depth++)
            {
                var id = "bg_" + next++;
                expected.Add(Add(id, parentId));
                parentId = id;
            }
        }

        var live = Collect(root);

        Assert.Equal(expected.Count, live.Count);
        Assert.Equal(expected.ToHashSet(), live.ToHashSet());
    }

    public ValueTask DisposeAsync() => _manager.DisposeAsync();

    private TaskRuntime Add(string taskId, string? parentId)
    {
        var runtime = new TaskRuntime(_manager, null, (Func<TaskContext, Task<TaskResult>>)(_ => Task.FromResult(TaskResult.Cancelled)),
            _manager.EventLogs.AttachTask("t1"), null, isAgent: false);
        runtime.Activate(taskId, new TaskSummary { TaskId = taskId, OwnerThreadId = "t1", TaskType = "x", Description = "d" });
        _table.Add(taskId, runtime, parentId);
        return runtime;
    }

    private void End(TaskRuntime runtime)
    {
        runtime.MarkEnded();
        _table.Remove(runtime.TaskId, runtime);
    }

    private static List<TaskRuntime> Children(TaskRuntime parent)
    {
        var children = new List<TaskRuntime>();
        for (var child = parent.FirstChild; child is not null; child = child.NextSibling)
        {
            children.Add(child);
        }

        return children;
    }

    private List<TaskRuntime> Collect(TaskRuntime root)
    {
        var live = new List<TaskRuntime>();
        _table.CollectSubtree(root, live);
        return live;
    }
}
