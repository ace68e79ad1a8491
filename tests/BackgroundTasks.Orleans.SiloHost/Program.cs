using System.Globalization;
using System.Net;
using System.Text.Json;
using BackgroundTasks;
using BackgroundTasks.Orleans;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using StackExchange.Redis;

// Usage: BackgroundTasks.Orleans.SiloHost <redis host:port> <cluster id> <silo port> <gateway port>
// Joins the cluster <cluster id> on 127.0.0.1, with membership, thread records and reminders in Redis, and prints
// "ready <process id>" on stdout once the silo has started. Runs until it is killed (the failover test's kill -9)
// or its standard input closes (the test's clean-up, should the kill never come).
// Bodies: "wait" runs until cancelled; "listener" (an agent) ends with the first message it gets; "where" ends at
// once with this process's id, so a client learns which silo process hosts a thread.
if (args.Length != 4
    || !int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out var siloPort)
    || !int.TryParse(args[3], NumberStyles.None, CultureInfo.InvariantCulture, out var gatewayPort))
{
    await Console.Error.WriteLineAsync("usage: BackgroundTasks.Orleans.SiloHost <redis host:port> <cluster id> <silo port> <gateway port>");
    return 2;
}

var redis = ConfigurationOptions.Parse(args[0]);
var clusterId = args[1];
var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
builder.UseOrleans(silo =>
{
    silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId));
    silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort, listenOnAnyHostAddress: false);
    silo.UseRedisClustering(o => o.ConfigurationOptions = redis);
    silo.AddRedisGrainStorage("BackgroundTasks", o => o.ConfigurationOptions = redis);
    silo.UseRedisReminderService(o => o.ConfigurationOptions = redis);
    SiloTimings.Shorten(silo);

    // Random placement, so the test can find a second thread placed on the process it kills: Orleans' default
    // (resource-optimized) placement steers new activations away from the busiest silo, which that one is.
    silo.Services.AddSingleton<Orleans.Runtime.PlacementStrategy, Orleans.Runtime.RandomPlacement>();
    silo.AddBackgroundTasks(o =>
    {
        o.OrphanSweepInterval = SiloTimings.SweepInterval;
        o.ShutdownGrace = TimeSpan.FromSeconds(2);
        o.AddTask("wait", async (_, context) =>
        {
            await context.WhenCancelled().ConfigureAwait(false);
            return TaskResult.Cancelled;
        });
        o.AddTask("where", (_, _) => Task.FromResult(TaskResult.Success(JsonSerializer.SerializeToElement(Environment.ProcessId))));
        o.AddAgent("listener", async (_, context) =>
        {
            await context.Inbox.ReceiveAsync(context.CancellationToken).ConfigureAwait(false);
            return TaskResult.Success(JsonSerializer.SerializeToElement("heard"));
        });
    });
});

using var host = builder.Build();
await host.StartAsync();
Console.WriteLine($"ready {Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");

// The parent holds our standard input open: end of input means it is gone, and so should we be.
await Console.In.ReadToEndAsync();
await host.StopAsync();
return 0;
