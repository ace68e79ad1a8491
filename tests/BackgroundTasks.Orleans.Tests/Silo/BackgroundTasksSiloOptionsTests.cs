using BackgroundTasks.Orleans.Tests.TestSupport;
using Microsoft.Extensions.Hosting;

namespace BackgroundTasks.Orleans.Tests.Silo;

/// <summary>Registration of bodies and checking of settings, before any silo starts.</summary>
public sealed class BackgroundTasksSiloOptionsTests
{
    private static readonly Func<TaskInvocation, TaskContext, Task<TaskResult>> s_task = (_, _) => Task.FromResult(TaskResult.Cancelled);
    private static readonly Func<TaskInvocation, AgentTaskContext, Task<TaskResult>> s_agent = (_, _) => Task.FromResult(TaskResult.Cancelled);

    [Fact]
    public void AddTask_SameTypeTwice_ThrowsNamingIt()
    {
        var options = new BackgroundTasksSiloOptions().AddTask("research", s_task);

        var error = Assert.Throws<ArgumentException>(() => options.AddTask("research", s_task));

        Assert.StartsWith(OrleansMessages.TaskTypeRegisteredTwice("research"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddAgent_SameKindTwice_ThrowsNamingIt()
    {
        var options = new BackgroundTasksSiloOptions().AddAgent("scout", s_agent);

        var error = Assert.Throws<ArgumentException>(() => options.AddAgent("scout", s_agent));

        Assert.StartsWith(OrleansMessages.AgentKindRegisteredTwice("scout"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTaskAndAddAgent_BadArguments_Throw()
    {
        var options = new BackgroundTasksSiloOptions();

        Assert.Throws<ArgumentNullException>(() => options.AddTask(null!, s_task));
        Assert.Throws<ArgumentException>(() => options.AddTask(" ", s_task));
        Assert.Throws<ArgumentNullException>(() => options.AddTask("t", null!));
        Assert.Throws<ArgumentNullException>(() => options.AddAgent(null!, s_agent));
        Assert.Throws<ArgumentException>(() => options.AddAgent("", s_agent));
        Assert.Throws<ArgumentNullException>(() => options.AddAgent("a", null!));
    }

    [Theory]
    [InlineData(nameof(BackgroundTasksSiloOptions.OrphanSweepInterval))]
    [InlineData(nameof(BackgroundTasksSiloOptions.MaxRunningPerOwner))]
    [InlineData(nameof(BackgroundTasksSiloOptions.MaxQueuedPerOwner))]
    [InlineData(nameof(BackgroundTasksSiloOptions.ShutdownGrace))]
    [InlineData(nameof(BackgroundTasksSiloOptions.EventReplayCapacityPerOwner))]
    public void AddBackgroundTasks_ValueOutOfRange_ThrowsNamingIt(string option)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Configure(o =>
        {
            switch (option)
            {
                case nameof(o.OrphanSweepInterval): o.OrphanSweepInterval = TimeSpan.Zero; break;
                case nameof(o.MaxRunningPerOwner): o.MaxRunningPerOwner = 0; break;
                case nameof(o.MaxQueuedPerOwner): o.MaxQueuedPerOwner = 0; break;
                case nameof(o.ShutdownGrace): o.ShutdownGrace = TimeSpan.FromSeconds(-1); break;
                default: o.EventReplayCapacityPerOwner = 0; break;
            }
        }));

        Assert.Equal(option, error.ParamName);
    }

    [Fact]
    public void AddBackgroundTasks_NoStorageName_Throws() =>
        Assert.Equal(nameof(BackgroundTasksSiloOptions.StorageName),
            Assert.Throws<ArgumentException>(() => Configure(o => o.StorageName = " ")).ParamName);

    [Fact]
    public void AddBackgroundTasks_CalledTwice_Throws()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo =>
        {
            silo.AddBackgroundTasks(TestBodies.Register);

            var error = Assert.Throws<InvalidOperationException>(() => silo.AddBackgroundTasks(TestBodies.Register));

            Assert.Equal(OrleansMessages.AddedTwice, error.Message);
        });
    }

    [Fact]
    public void AddBackgroundTasks_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => BackgroundTasksSiloBuilderExtensions.AddBackgroundTasks(null!, _ => { }));
        Host.CreateApplicationBuilder().UseOrleans(silo => Assert.Throws<ArgumentNullException>(() => silo.AddBackgroundTasks(null!)));
    }

    private static void Configure(Action<BackgroundTasksSiloOptions> configure) =>
        Host.CreateApplicationBuilder().UseOrleans(silo => silo.AddBackgroundTasks(configure));
}
