namespace TrackingProfiler.Profiler.Gate;

/// <summary>All verdicts, failing groups first.</summary>
public sealed record GateResult(IReadOnlyList<GroupVerdict> Verdicts)
{
    public bool Passed => Verdicts.All(v => v.Status != VerdictStatus.Fail);

    public int Failures => Verdicts.Count(v => v.Status == VerdictStatus.Fail);
}
