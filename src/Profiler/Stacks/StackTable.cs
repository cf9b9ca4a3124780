namespace TrackingProfiler.Profiler.Stacks;

/// <summary>
/// Interns raw stacks: identical stacks (same return addresses) share one id, so memory grows with the number of
/// distinct stacks, not of samples. Past <see cref="Capacity"/> distinct stacks, new ones are refused (id -1) and counted.
/// Not thread-safe: its tracker guards it.
/// </summary>
internal sealed class StackTable(int capacity)
{
    public const int Refused = -1;

    private readonly Dictionary<StackKey, int> _ids = [];
    private readonly List<ulong[]> _stacks = [];

    public int Capacity { get; } = capacity;

    public int Count => _stacks.Count;

    /// <summary>Samples whose stack was new when the table was full.</summary>
    public long RefusedSamples { get; private set; }

    public int Intern(ulong[] addresses)
    {
        var key = new StackKey(addresses);
        if (_ids.TryGetValue(key, out int id))
        {
            return id;
        }

        if (_stacks.Count >= Capacity)
        {
            RefusedSamples++;
            return Refused;
        }

        id = _stacks.Count;
        _stacks.Add(addresses);
        _ids.Add(key, id);
        return id;
    }

    public ulong[] Get(int id) => _stacks[id];

    private readonly struct StackKey : IEquatable<StackKey>
    {
        private readonly ulong[] _addresses;
        private readonly int _hash;

        public StackKey(ulong[] addresses)
        {
            _addresses = addresses;
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(addresses.AsSpan()));
            _hash = hash.ToHashCode();
        }

        public bool Equals(StackKey other) => _addresses.AsSpan().SequenceEqual(other._addresses);

        public override bool Equals(object? obj) => obj is StackKey other && Equals(other);

        public override int GetHashCode() => _hash;
    }
}
