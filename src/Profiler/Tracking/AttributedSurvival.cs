namespace TrackingProfiler.Profiler.Tracking;

/// <summary>A sampled object that survived into generation 2 (reported once per object): memory its group retains long-term.</summary>
public readonly record struct AttributedSurvival(
    int SourceGroupId,
    string TypeName,
    long ObjectSize,
    double Weight,
    ulong Address,
    int GcNumber,
    double TimestampMs);
