namespace TrackingProfiler.Grouping;

/// <summary>
/// The scope of an entered group, returned by <see cref="AllocationGroupToken.Enter"/> (the crate's <c>AllocationGuard</c>).
/// Dispose it with <c>using</c>, on the same flow that entered it.
/// </summary>
/// <remarks>
/// <para><see cref="Dispose"/> restores the group that was current when the scope was entered, but only if this
/// scope's group is still the current one. That one rule makes the edge cases safe and predictable:</para>
/// <list type="bullet">
/// <item>Disposing twice does nothing the second time.</item>
/// <item>Disposing an outer scope while an inner one is still current does nothing; the inner scope, when
/// disposed, restores the outer group, which then stays current until its own scope is disposed again or the
/// flow ends. Nothing throws.</item>
/// <item>A <c>default</c> scope does nothing when disposed.</item>
/// </list>
/// <para>Entering and disposing allocate nothing beyond the execution-context copy that any
/// <see cref="AsyncLocal{T}"/> write costs.</para>
/// </remarks>
public readonly struct AllocationGroupScope : IDisposable
{
    private readonly AllocationGroupToken? _entered;
    private readonly AllocationGroupToken? _previous;
    private readonly bool _isEntered;

    internal AllocationGroupScope(AllocationGroupToken? entered)
    {
        _entered = entered;
        _previous = GroupContext.Current;
        _isEntered = true;
        GroupContext.Current = entered;
    }

    /// <summary>The group this scope entered (<see cref="AllocationGroupId.Root"/> for an untracked scope).</summary>
    public AllocationGroupId GroupId => _entered?.Id ?? AllocationGroupId.Root;

    /// <summary>Restores the group that was current when this scope was entered, if this scope's group is still current.</summary>
    public void Dispose()
    {
        if (_isEntered && ReferenceEquals(GroupContext.Current, _entered))
        {
            GroupContext.Current = _previous;
        }
    }
}
