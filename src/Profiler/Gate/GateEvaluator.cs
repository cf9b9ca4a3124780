using TrackingProfiler.Profiler.Reports;

namespace TrackingProfiler.Profiler.Gate;

/// <summary>
/// Compares a report with a baseline report and/or a budget, group by group (see docs/ci-gate.md):
/// exact bytes against the allowed increase; sampled-only groups on their intervals, so noise cannot fail a build;
/// absolute budgets without any baseline. The root and unknown pseudo-groups are shown but never fail by themselves.
/// </summary>
public static class GateEvaluator
{
    public static GateResult Evaluate(AllocationReport current, AllocationReport? baseline, Threshold maxIncrease, bool failOnNew, Budget? budget)
    {
        var now = GroupTotals.From(current);
        var before = baseline is null ? null : GroupTotals.From(baseline);
        var verdicts = new List<GroupVerdict>();

        foreach (var group in now.Values)
        {
            var limits = budget?.For(group.Name);
            if (before is not null)
            {
                verdicts.Add(before.TryGetValue(group.Name, out var old)
                    ? CompareWithBaseline(group, old, limits?.MaxIncrease ?? maxIncrease)
                    : new GroupVerdict(group.Name, failOnNew && !group.IsPseudoGroup ? VerdictStatus.Fail : VerdictStatus.New, Measure(group), null, Value(group), failOnNew ? "fail-on-new" : "none", null, null, "not in the baseline"));
            }

            if (limits?.MaxAllocatedBytes is long maxAllocated)
            {
                verdicts.Add(CheckAbsolute(group, maxAllocated));
            }

            if (limits?.MaxLiveBytes is long maxLive)
            {
                verdicts.Add(CheckLive(group, maxLive));
            }
        }

        if (before is not null)
        {
            foreach (var old in before.Values.Where(o => !now.ContainsKey(o.Name)))
            {
                verdicts.Add(new GroupVerdict(old.Name, VerdictStatus.Gone, Measure(old), Value(old), null, "none", null, null, "not in this report"));
            }
        }

        if (budget is not null)
        {
            foreach (string missing in budget.Groups.Keys.Where(n => !now.ContainsKey(n)))
            {
                verdicts.Add(new GroupVerdict(missing, VerdictStatus.Gone, "-", null, null, "none", null, null, "budgeted group not in this report"));
            }
        }

        return new GateResult([.. verdicts.OrderBy(v => v.Status switch { VerdictStatus.Fail => 0, VerdictStatus.New => 1, VerdictStatus.Pass => 2, _ => 3 }).ThenBy(v => v.Name, StringComparer.Ordinal)]);
    }

    private static GroupVerdict CompareWithBaseline(GroupTotals group, GroupTotals old, Threshold threshold)
    {
        if (group.HasExact && old.HasExact)
        {
            double limit = threshold.Limit(old.AllocatedBytes);
            bool fail = group.AllocatedBytes > limit && !group.IsPseudoGroup;
            return new GroupVerdict(group.Name, fail ? VerdictStatus.Fail : VerdictStatus.Pass, "exact", old.AllocatedBytes, group.AllocatedBytes, "max-increase", threshold, Floor(limit),
                fail ? "exceeds the limit" : group.IsPseudoGroup && group.AllocatedBytes > limit ? "grew (pseudo-group: not gated)" : "within limit");
        }

        // Only samples: fail when even the low end of the new interval is above the allowed growth of the old high end.
        long newLow = group.EstimatedLow ?? group.EstimatedBytes;
        long oldHigh = old.EstimatedHigh ?? old.EstimatedBytes;
        double sampledLimit = threshold.Limit(oldHigh);
        bool sampledFail = newLow > sampledLimit && !group.IsPseudoGroup;
        return new GroupVerdict(group.Name, sampledFail ? VerdictStatus.Fail : VerdictStatus.Pass, "estimate", old.EstimatedBytes, group.EstimatedBytes, "max-increase", threshold, Floor(sampledLimit),
            sampledFail ? "even the low end of its 95% interval exceeds the limit (set on the baseline's high end)" : "its 95% interval reaches below the limit");
    }

    private static GroupVerdict CheckAbsolute(GroupTotals group, long max)
    {
        long value = group.HasExact ? group.AllocatedBytes : group.EstimatedLow ?? group.EstimatedBytes;
        bool fail = value > max;
        return new GroupVerdict(group.Name, fail ? VerdictStatus.Fail : VerdictStatus.Pass, group.HasExact ? "exact" : "estimate (low)", null, value, "max-allocated-bytes", null, max,
            fail ? "over budget" : "within budget");
    }

    private static GroupVerdict CheckLive(GroupTotals group, long max)
    {
        if (group.LiveBytes is null)
        {
            return new GroupVerdict(group.Name, VerdictStatus.Fail, "live", null, null, "max-live-bytes", null, max, "maxLiveBytes needs a report made with --track-frees");
        }

        long value = group.LiveLow ?? group.LiveBytes.Value;
        bool fail = value > max;
        return new GroupVerdict(group.Name, fail ? VerdictStatus.Fail : VerdictStatus.Pass, "live (low)", null, value, "max-live-bytes", null, max, fail ? "retains more than its budget" : "within budget");
    }

    /// <summary>The largest whole number of bytes that is still within <paramref name="limit"/>.</summary>
    private static long Floor(double limit) => limit >= long.MaxValue ? long.MaxValue : (long)Math.Floor(limit);

    private static string Measure(GroupTotals group) => group.HasExact ? "exact" : "estimate";

    private static long Value(GroupTotals group) => group.HasExact ? group.AllocatedBytes : group.EstimatedBytes;
}
