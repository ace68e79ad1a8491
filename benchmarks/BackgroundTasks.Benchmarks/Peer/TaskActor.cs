using Akka.Actor;

namespace BackgroundTasks.Benchmarks.Peer;

/// <summary>The Akka.NET peer of a tracked task: one actor runs the body once, reports to the sink and stops.</summary>
internal sealed class TaskActor : ReceiveActor
{
    public TaskActor(IActorRef sink)
    {
        ReceiveAsync<StartTask>(async start =>
        {
            var result = await Workload.RawBodyAsync();
            sink.Tell(new TaskDone(start.TaskId, result.Status));
            Context.Stop(Self);
        });
    }
}
