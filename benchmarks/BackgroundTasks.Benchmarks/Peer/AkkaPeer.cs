using System.Globalization;
using Akka.Actor;
using Akka.Configuration;

namespace BackgroundTasks.Benchmarks.Peer;

/// <summary>An actor system with a sink, spawning one <see cref="TaskActor"/> per task.</summary>
internal sealed class AkkaPeer
{
    private static readonly Config s_config = ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.suppress-json-serializer-warning = on
        """);

    private readonly ActorSystem _system;
    private readonly IActorRef _sink;
    private readonly Props _taskProps;

    public AkkaPeer()
    {
        _system = ActorSystem.Create("bench", s_config);
        _sink = _system.ActorOf(Props.Create<SinkActor>(), "sink");
        _taskProps = Props.Create<TaskActor>(_sink);
    }

    public async Task SpawnAndAwaitAllAsync(int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _sink.Tell(new ExpectTasks(count, done));
        for (var i = 0; i < count; i++)
        {
            _system.ActorOf(_taskProps).Tell(new StartTask("bg_" + i.ToString(CultureInfo.InvariantCulture)));
        }

        await done.Task;
    }

    // Not IAsyncDisposable: the benchmarks own it from GlobalSetup to GlobalCleanup, not through a using.
    public Task ShutdownAsync() => _system.Terminate();
}
