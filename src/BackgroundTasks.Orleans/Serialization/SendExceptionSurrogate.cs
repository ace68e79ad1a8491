using Orleans;

namespace BackgroundTasks.Orleans;

/// <summary>A <see cref="SendException"/> on the wire, with its <see cref="SendException.Error"/> and terminal status.</summary>
[GenerateSerializer]
internal struct SendExceptionSurrogate
{
    [Id(0)]
    public int Error;

    [Id(1)]
    public string Message;

    [Id(2)]
    public int? TerminalStatus;
}

/// <summary>Converts <see cref="SendException"/>, so the sender of a remote message can switch on its error as in process.</summary>
[RegisterConverter]
internal sealed class SendExceptionSurrogateConverter : IConverter<SendException, SendExceptionSurrogate>
{
    public SendException ConvertFromSurrogate(in SendExceptionSurrogate surrogate) =>
        new((SendError)surrogate.Error, surrogate.Message, (BackgroundTaskStatus?)surrogate.TerminalStatus);

    public SendExceptionSurrogate ConvertToSurrogate(in SendException value) => new()
    {
        Error = (int)value.Error,
        Message = value.Message,
        TerminalStatus = (int?)value.TerminalStatus,
    };
}
