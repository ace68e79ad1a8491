using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting;
using Orleans.Storage;

namespace BackgroundTasks.Orleans.Tests.InProcess;

public sealed class InProcessStoreSiloBuilderExtensionsTests
{
    private readonly InProcessGrainStorage _storage = new();
    private readonly InProcessReminderTable _reminders = new();

    [Fact]
    public void UseInProcessStore_RegistersBothUnderTheStorageName()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.UseInProcessStore(_storage, _reminders, "Threads"));

        using var services = builder.Services.BuildServiceProvider();
        Assert.Same(_storage, services.GetRequiredKeyedService<IGrainStorage>("Threads"));
        Assert.Same(_reminders, services.GetRequiredService<global::Orleans.IReminderTable>());
    }

    [Fact]
    public void UseInProcessStore_ChecksItsArguments()
    {
        Assert.Throws<ArgumentNullException>(() => ((ISiloBuilder)null!).UseInProcessStore(_storage, _reminders));
        var ran = false;
        Host.CreateApplicationBuilder().UseOrleans(silo =>
        {
            Assert.Throws<ArgumentNullException>(() => silo.UseInProcessStore(null!, _reminders));
            Assert.Throws<ArgumentNullException>(() => silo.UseInProcessStore(_storage, null!));
            Assert.Throws<ArgumentException>(() => silo.UseInProcessStore(_storage, _reminders, " "));
            ran = true;
        });
        Assert.True(ran);
    }
}
