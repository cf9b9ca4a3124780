namespace TrackingProfiler.Grouping;

/// <summary>
/// A registered allocation group. Register one per unit of work you want to see separately
/// (a request type, a pipeline stage, a cache), then wrap that work in <c>using (token.Enter()) { ... }</c>.
/// </summary>
/// <remarks>
/// The current group flows with the <see cref="ExecutionContext"/>: into <c>await</c> continuations,
/// <see cref="Task.Run(Action)"/>, thread-pool work items and threads started inside the scope.
/// Code running under <see cref="ExecutionContext.SuppressFlow"/> does not inherit it.
/// Tokens are never unregistered: register groups once (for example in a static field), not per call.
/// </remarks>
public sealed class AllocationGroupToken
{
    private readonly (string Key, string Value)[] _tags;

    private AllocationGroupToken(AllocationGroupId id, string name, (string Key, string Value)[] tags)
    {
        Id = id;
        Name = name;
        _tags = tags;
        EncodedTags = EventContract.EncodeTags(tags);
        ActivityId = EventContract.ActivityIds.Encode(id.Value);
    }

    /// <summary>The group's unique id.</summary>
    public AllocationGroupId Id { get; }

    /// <summary>The group's name, as shown by the profiler.</summary>
    public string Name { get; }

    /// <summary>The tags given at registration, in their order.</summary>
    public IReadOnlyList<(string Key, string Value)> Tags => _tags;

    internal string EncodedTags { get; }

    /// <summary>This group's id encoded as an EventSource activity id (computed once: the change handler only copies it).</summary>
    internal Guid ActivityId { get; }

    /// <summary>
    /// The exact bytes allocated in this group, over every thread, while accounting was on: while
    /// <see cref="AllocationRegistry.IsTrackingEnabled"/>, or while a profiler session asked for totals.
    /// </summary>
    /// <remarks>
    /// <para>A thread's bytes are added to a group when the thread leaves it (at the end of a scope, or when an
    /// <c>await</c> or a thread-pool item moves the flow away). The calling thread's own bytes since its last change
    /// are included when this group is its current group, so after <c>using (g.Enter()) { await Work(); }</c>
    /// the figure is exact. Work still running in this group on other threads is counted when those threads leave it.</para>
    /// <para>The figure includes a small fixed cost per scope: the <see cref="ExecutionContext"/> copy the runtime
    /// makes when a scope ends (about 100–350 bytes).</para>
    /// </remarks>
    public long AllocatedBytes => Accounting.GroupAccounting.TotalOf(Id.Value) + Accounting.GroupAccounting.PendingOnThisThread(Id.Value);

    /// <summary>
    /// Registers a new allocation group. Each call creates a distinct group with a new id, even for a name
    /// already used; the profiler reports groups by id and shows their names.
    /// </summary>
    /// <param name="name">A human-readable name; must not be null or empty.</param>
    /// <param name="tags">Optional key/value pairs describing the group (for example <c>("tier", "api")</c>).</param>
    /// <returns>The token used to enter the group.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty, or a tag has a null key or value.</exception>
    public static AllocationGroupToken Register(string name, params (string Key, string Value)[] tags)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("A group needs a non-empty name.", nameof(name));
        }

        var copy = tags is null || tags.Length == 0 ? [] : ((string Key, string Value)[])tags.Clone();
        foreach (var (key, value) in copy)
        {
            if (key is null || value is null)
            {
                throw new ArgumentException("Tag keys and values must not be null.", nameof(tags));
            }
        }

        return AllocationGroupRegistry.Add(id => new AllocationGroupToken(id, name, copy));
    }

    /// <summary>
    /// Makes this group current on the calling flow until the returned scope is disposed.
    /// </summary>
    /// <returns>A scope whose <see cref="AllocationGroupScope.Dispose"/> restores the group that was current here.</returns>
    public AllocationGroupScope Enter() => new(this);

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Id})";
}
