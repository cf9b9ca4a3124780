namespace TrackingProfiler.Grouping;

/// <summary>
/// The identifier of an allocation group. Ids are assigned by <see cref="AllocationGroupToken.Register"/>,
/// are unique within a process and are never reused.
/// </summary>
public readonly struct AllocationGroupId : IEquatable<AllocationGroupId>
{
    /// <summary>The root group: allocations made while no group is entered. Its value is always <c>0</c>.</summary>
    public static readonly AllocationGroupId Root = new(EventContract.RootGroupId);

    /// <summary>Creates an id from its numeric value.</summary>
    /// <param name="value">The numeric value, as written in the <c>GroupRegistered</c> and <c>GroupAllocated</c> events and encoded in activity ids.</param>
    public AllocationGroupId(int value) => Value = value;

    /// <summary>The numeric value, as written in the events.</summary>
    public int Value { get; }

    /// <summary>Whether this is the root group.</summary>
    public bool IsRoot => Value == EventContract.RootGroupId;

    /// <inheritdoc />
    public bool Equals(AllocationGroupId other) => Value == other.Value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is AllocationGroupId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Value;

    /// <inheritdoc />
    public override string ToString() => IsRoot ? "root" : Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Compares two ids by value.</summary>
    public static bool operator ==(AllocationGroupId left, AllocationGroupId right) => left.Equals(right);

    /// <summary>Compares two ids by value.</summary>
    public static bool operator !=(AllocationGroupId left, AllocationGroupId right) => !left.Equals(right);
}
