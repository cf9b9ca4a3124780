using System.Globalization;
using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Reports;

/// <summary>
/// The one place a report and its notes are made, for every mode (attach, run, demo) and at any moment (the live
/// view builds one per refresh). Pure: it reads summaries and returns a new report.
/// </summary>
internal static class ReportBuilder
{
    /// <summary>How the session as a whole went; the traced processes come separately.</summary>
    /// <param name="Mode"><c>attach</c>, <c>run</c> or <c>demo</c>.</param>
    /// <param name="EndReason"><c>duration</c>, <c>stopped</c>, <c>target-exited</c>, <c>running</c>, …</param>
    /// <param name="Processes">Every process the session knew of (run mode resumes some untraced); null: the traced ones.</param>
    /// <param name="Notes">Notes only the caller can know (a launched command's fate), first in the report.</param>
    public sealed record SessionFacts(
        string Mode,
        string EndReason,
        DateTimeOffset StartedAt,
        double DurationSeconds,
        int? ExitCode = null,
        IReadOnlyList<ProcessReport>? Processes = null,
        IReadOnlyList<string>? Notes = null);

    public static AllocationReport Build(SessionFacts facts, IReadOnlyList<TracedProcessSummary> traced)
    {
        var notes = new List<string>(facts.Notes ?? []);
        if (traced.Count == 0 && facts.Mode == "run")
        {
            notes.Add("No process was traced: see 'processes' for the runtimes that started, and --trace-process to choose.");
        }

        foreach (var process in traced)
        {
            foreach (string note in NotesFor(process, facts, traced.Count > 1))
            {
                if (!notes.Contains(note))
                {
                    notes.Add(note);
                }
            }
        }

        var first = traced.Count > 0 ? traced[0] : null;
        return new AllocationReport
        {
            Session = new SessionReport
            {
                Mode = facts.Mode,
                TargetPid = first?.Process.ProcessId ?? (facts.Processes is { Count: > 0 } launched ? launched[0].ProcessId : 0),
                RuntimeVersion = first?.Process.RuntimeVersion,
                SamplingMode = first?.SamplingMode ?? "none",
                TrackFrees = traced.Any(t => t.TrackFrees),
                StartedAt = facts.StartedAt,
                DurationSeconds = Math.Round(facts.DurationSeconds, 3),
                EndReason = facts.EndReason,
                EventsLost = traced.Sum(t => t.EventsLost),
                EventsProcessed = traced.Sum(t => t.EventsProcessed),
                ForeignActivitySamples = traced.Sum(t => t.Attribution.ForeignActivitySamples),
                ExitCode = facts.ExitCode,
                Processes = MergeProcesses(facts.Processes, traced),
                Notes = notes,
                GroupBy = first?.GroupBy?.Name ?? "groups",
                GroupByReason = first?.GroupBy?.Reason,
            },
            Groups = [.. traced.SelectMany(t => t.Groups)],
        };
    }

    private static IEnumerable<string> NotesFor(TracedProcessSummary s, SessionFacts facts, bool several)
    {
        string who = several ? string.Create(CultureInfo.InvariantCulture, $"Process {s.Process.ProcessId}: ") : string.Empty;
        var attribution = s.Attribution;
        foreach (string note in s.GroupingNotes)
        {
            yield return who + note;
        }

        if (facts.Mode == "attach" && facts.EndReason == "target-exited")
        {
            yield return Format($"The target process {s.Process.ProcessId} exited during the session: this report covers it until then.");
        }

        if (s.EventsLost > 0)
        {
            yield return who + Format($"EventPipe lost {s.EventsLost:N0} events: samples were lost, so estimates err low. Exact bytes are cumulative totals that the next publication carries whole; only a group whose last totals were lost is behind (see its exact age). Increase --buffer-size.");
        }

        bool anySamples = s.Groups.Any(g => g.Samples > 0);
        if (attribution.NewestTotalsMs is null)
        {
            // With requests/Activities as groups, no totals is the normal case: the grouping notes say how to get exact bytes.
            if (s.Groups.Count > 0 && s.GroupBy is not { IsZeroCode: true })
            {
                yield return who + "The target published no group totals (its Grouping library predates event contract v2, or it references none): exact bytes were not measured (—).";
            }
        }
        else
        {
            if (s.GroupsSampledAfterTheirTotals > 0)
            {
                double oldest = s.Groups.Where(g => g.ExactAgeSeconds is not null).Select(g => g.ExactAgeSeconds!.Value).DefaultIfEmpty(0).Max();
                string cause = facts.EndReason == "target-exited"
                    ? "totals the process writes while it exits never reach the session (measured on .NET 10.0.12)"
                    : "the totals that carry them were lost or not published yet";
                yield return who + Format($"{s.GroupsSampledAfterTheirTotals} group(s) were sampled after their last totals arrived (up to {oldest:0.00} s before the end; see exactAgeSeconds): their exact figures miss those bytes, which the estimates include. Why: {cause}.");
            }
        }

        if (attribution.ForeignActivitySamples > 0)
        {
            yield return who + Format($"{attribution.ForeignActivitySamples:N0} samples carried an activity id the Grouping library did not set (TPL's, ActivityTracker's or an Activity's): shown as (foreign activity), not as a group.");
        }

        if (attribution.OverflowEvents > 0)
        {
            yield return who + Format($"The target has more than {attribution.GroupCapacity:N0} groups: only the first {attribution.GroupCapacity:N0} seen are followed one by one; the others' samples are pooled in (groups over the cap), without exact bytes ({attribution.OverflowEvents:N0} events concerned them).");
        }

        if (s.Start == SessionStart.Attached && anySamples && s.GroupBy is not { IsZeroCode: true })
        {
            yield return who + "Attached to a running process: a thread that entered a group before the session and has not switched group since carries no group id yet, so its samples count as root until it does.";
        }

        if (attribution.StaleTotals > 0)
        {
            yield return who + Format($"{attribution.StaleTotals:N0} totals arrived after a larger total of the same group and were ignored.");
        }

        if (attribution.Heap is { } heap)
        {
            yield return who + Format($"Frees: {heap.GcsProcessed} GCs followed ({heap.BackgroundGcs} background), {heap.Frees} sampled objects found dead, {heap.TrackedObjects} still tracked.");
            if (heap.UncertainGcs + heap.DroppedAtCapacity + heap.Forgotten > 0)
            {
                string reason = heap.LastUncertainReason is null ? string.Empty : $" Last GC not judged: {heap.LastUncertainReason}.";
                yield return who + Format($"Live bytes err high: {heap.UncertainGcs} GCs could not be judged safely and {heap.Forgotten + heap.DroppedAtCapacity} sampled objects stopped being followed ({heap.DroppedAtCapacity} over the tracking cap); they count as live.") + reason;
            }
        }

        if (s.TrackFrees && s.Start == SessionStart.Attached)
        {
            yield return "Live bytes cover objects allocated since the session started; older objects are not followed.";
        }

        if (s.SamplingMode == "tick")
        {
            yield return "Sampled figures come from GCAllocationTick (every ~100 KB): biased for periodic allocation patterns and given without an interval.";
        }

        if (s.ProcessingStoppedEarly is { } why)
        {
            yield return who + why;
        }

        foreach (string note in s.Notes)
        {
            yield return who + note;
        }
    }

    /// <summary>The processes the caller knew of, with each traced one's own figures (its exact total) filled in.</summary>
    private static IReadOnlyList<ProcessReport> MergeProcesses(IReadOnlyList<ProcessReport>? known, IReadOnlyList<TracedProcessSummary> traced)
    {
        if (known is null)
        {
            return [.. traced.Select(t => t.Process)];
        }

        var measured = traced.ToDictionary(t => t.Process.ProcessId, t => t.Process);
        return [.. known.Select(p => measured.TryGetValue(p.ProcessId, out var m) ? p with { AllocatedBytes = m.AllocatedBytes, GroupedShare = m.GroupedShare } : p)];
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
