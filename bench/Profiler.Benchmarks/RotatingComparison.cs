using System.Globalization;

namespace TrackingProfiler.Benchmarks;

/// <summary>
/// Configurations of one workload measured side by side on a shared, noisy machine: each round runs every
/// configuration once, starting one later than the round before, so that the drift of the machine falls on all alike;
/// the figures are medians over the rounds, with their spread (min–max), and ratios of medians to the first
/// configuration (the baseline, usually "detached"). Printed as a Markdown table for docs/performance.md.
/// </summary>
internal sealed class RotatingComparison<TMeasurement>
{
    private readonly List<(string Name, Func<Task<TMeasurement>> Run)> _configurations = [];
    private readonly Dictionary<string, List<TMeasurement>> _results = [];

    /// <summary>
    /// Time between the session being up and the measured window, in every configuration alike: 0 measures from the
    /// attach (the profiler's own start-up competes with the target), a few seconds measures the steady state.
    /// </summary>
    public TimeSpan Settle { get; init; }

    public string Baseline => _configurations[0].Name;

    public void Add(string name, Func<Task<TMeasurement>> run)
    {
        _configurations.Add((name, run));
        _results[name] = [];
    }

    public Task SettleAsync() => Task.Delay(Settle);

    public async Task RunAsync(int rounds)
    {
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < _configurations.Count; i++)
            {
                var (name, run) = _configurations[(i + round) % _configurations.Count];
                _results[name].Add(await run());
            }
        }
    }

    /// <summary>The measurements of <paramref name="configuration"/>, one per round.</summary>
    public IReadOnlyList<TMeasurement> Values(string configuration) => _results[configuration];

    public double Median(string configuration, Func<TMeasurement, double> value) => MedianOf(_results[configuration].Select(value));

    /// <summary>Median of <paramref name="configuration"/> ÷ median of the baseline.</summary>
    public double Ratio(string configuration, Func<TMeasurement, double> value) => Median(configuration, value) / Median(Baseline, value);

    /// <summary>"min–max" over the rounds, in <paramref name="format"/>.</summary>
    public string Spread(string configuration, Func<TMeasurement, double> value, string format)
    {
        var values = _results[configuration].Select(value).ToList();
        return values.Min().ToString(format, CultureInfo.InvariantCulture) + "–" + values.Max().ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>A Markdown table: a row per configuration, in the order added; the first column names it.</summary>
    public void PrintTable(string title, IReadOnlyList<Column> columns)
    {
        Console.WriteLine(title);
        Console.WriteLine("| config | " + string.Join(" | ", columns.Select(c => c.Header)) + " |");
        Console.WriteLine("| --- | " + string.Join(" | ", columns.Select(_ => "---:")) + " |");
        foreach (var (name, _) in _configurations)
        {
            Console.WriteLine("| " + name + " | " + string.Join(" | ", columns.Select(c => c.Cell(name))) + " |");
        }
    }

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>A column of the table: its header, and its cell for a configuration.</summary>
    public sealed record Column(string Header, Func<string, string> Cell);
}
