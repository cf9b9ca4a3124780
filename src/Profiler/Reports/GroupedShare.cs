using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Reports;

/// <summary>How much of a process's exact total its named groups account for (the report's total row).</summary>
public static class GroupedShare
{
    /// <summary>
    /// The named groups' bytes (exact where measured, else the estimate) over the process total; the root and
    /// foreign-activity rows are not groups a user named. Null without a total.
    /// </summary>
    public static double? Of(IEnumerable<GroupReport> groups, long? processAllocated)
    {
        if (processAllocated is not long total || total <= 0)
        {
            return null;
        }

        double grouped = groups
            .Where(g => g.Id is not (GroupIds.Root or GroupIds.ForeignActivity))
            .Sum(g => g.AllocatedBytes is long exact && exact > 0 ? exact : (double)g.EstimatedBytes);
        return Math.Round(grouped / total, 4);
    }
}
