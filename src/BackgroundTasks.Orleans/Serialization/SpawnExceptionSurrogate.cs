using Orleans;

namespace BackgroundTasks.Orleans;

/// <summary>A <see cref="SpawnException"/> on the wire, with its <see cref="SpawnException.Error"/>, name and run id.</summary>
[GenerateSerializer]
internal struct SpawnExceptionSurrogate
{
    [Id(0)]
    public int Error;

    [Id(1)]
    public string Message;

    [Id(2)]
    public string? Name;

    [Id(3)]
    public string? RunId;

    [Id(4)]
    public Exception? InnerException;
}

/// <summary>Converts <see cref="SpawnException"/>, so the caller of a remote spawn can switch on its error as in process.</summary>
[RegisterConverter]
internal sealed class SpawnExceptionSurrogateConverter : IConverter<SpawnException, SpawnExceptionSurrogate>
{
    public SpawnException ConvertFromSurrogate(in SpawnExceptionSurrogate surrogate) =>
        new((SpawnError)surrogate.Error, surrogate.Message, surrogate.Name, surrogate.RunId, surrogate.InnerException);

    public SpawnExceptionSurrogate ConvertToSurrogate(in SpawnException value) => new()
    {
        Error = (int)value.Error,
        Message = value.Message,
        Name = value.Name,
        RunId = value.RunId,
        InnerException = value.InnerException,
    };
}
