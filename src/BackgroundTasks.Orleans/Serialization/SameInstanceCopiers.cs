using Orleans;
using Orleans.Serialization.Cloning;

namespace BackgroundTasks.Orleans;

// Orleans deep-copies every response on the silo (and every argument of a call between grains of one silo). Without a
// copier of its own, a type with a surrogate converter is copied through that converter: a TaskSummary or a TaskEvent
// is serialized to the core's JSON and parsed back, once per record of every ListAsync, GetAsync and WaitAsync answer
// and every event. These types are immutable (init-only records; the core already shares one instance among all its
// observers in process), so a copy is the instance itself. [Immutable] would say the same, but it cannot be put on the
// core's types; a registered copier takes precedence over the converter, and ShallowCopier<T> also tells the copiers
// of the types holding these fields that they need not copy them.
//
// Not here: a bare JsonElement (a spawn's input points into a JsonDocument that its caller may dispose once the call
// returns, so the copy must own its JSON) and the exceptions (mutable: Orleans sets their stack traces).

/// <summary>Copies a <see cref="TaskSummary"/> as itself: it is immutable.</summary>
[RegisterCopier]
internal sealed class TaskSummaryCopier : ShallowCopier<TaskSummary>;

/// <summary>Copies a <see cref="TaskEvent.Completed"/> as itself: it is immutable.</summary>
[RegisterCopier]
internal sealed class CompletedEventCopier : ShallowCopier<TaskEvent.Completed>;

/// <summary>Copies a <see cref="TaskEvent.Failed"/> as itself: it is immutable.</summary>
[RegisterCopier]
internal sealed class FailedEventCopier : ShallowCopier<TaskEvent.Failed>;

/// <summary>Copies a <see cref="TaskEvent.Cancelled"/> as itself: it is immutable.</summary>
[RegisterCopier]
internal sealed class CancelledEventCopier : ShallowCopier<TaskEvent.Cancelled>;

/// <summary>Copies a <see cref="TaskEvent.Custom"/> as itself: it is immutable.</summary>
[RegisterCopier]
internal sealed class CustomEventCopier : ShallowCopier<TaskEvent.Custom>;
