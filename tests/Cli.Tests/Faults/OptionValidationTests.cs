namespace TrackingProfiler.Cli.Tests.Faults;

/// <summary>Fault 2 (and 8's option cases): every option value is validated without throwing: one line, exit 2.</summary>
public class OptionValidationTests
{
    public static TheoryData<string[], string> BadValues => new()
    {
        { ["attach", "1", "--buffer-size", "abc"], "--buffer-size 'abc' is not a number" },
        { ["attach", "1", "--buffer-size", "1.5"], "--buffer-size '1.5' must be a whole number from 1 to 4096" },
        { ["attach", "1", "--buffer-size", "99999999999"], "--buffer-size '99999999999' must be a whole number" },
        { ["attach", "1", "--buffer-size", "-3"], "--buffer-size '-3' must be a whole number" },
        { ["attach", "1", "--buffer-size", "0"], "--buffer-size '0' must be a whole number" },
        { ["run", "--buffer-size", "abc", "--", "/bin/true"], "--buffer-size 'abc' is not a number" },
        { ["run", "--buffer-size", "99999999999", "--", "/bin/true"], "--buffer-size '99999999999'" },
        { ["attach", "1", "--duration", "abc"], "'abc' is not a duration for --duration" },
        { ["attach", "1", "--duration", "-5s"], "'-5s' is not a duration" },
        { ["attach", "1", "--duration", "99999999999h"], "'99999999999h' is not a duration" },
        { ["attach", "1", "--duration", "1e400s"], "'1e400s' is not a duration" },
        { ["attach", "1", "--duration", "NaNs"], "'NaNs' is not a duration" },
        { ["demo", "--duration", "1.5x"], "'1.5x' is not a duration" },
        { ["run", "--connect-timeout", "soon", "--", "/bin/true"], "'soon' is not a duration for --connect-timeout" },
        { ["attach", "abc"], "<pid> 'abc' is not a number" },
        { ["attach", "-p", "1.5"], "--process-id '1.5' must be a whole number" },
        { ["attach", "-p", "99999999999"], "--process-id '99999999999' must be a whole number" },
        { ["attach", "1", "--sampling", "fast"], "--sampling 'fast' is not one of: auto, randomized, tick, none" },
        { ["attach", "1", "--format", "xml"], "--format 'xml' is not one of: table, json, markdown, csv" },
        { ["attach", "1", "--format", "1"], "--format '1' is not one of" },
        { ["check", "r.json", "--baseline", "b.json", "--max-increase", "Infinity%"], "--max-increase 'Infinity%' is not an increase" },
        { ["check", "r.json", "--baseline", "b.json", "--max-increase", "NaN%"], "--max-increase 'NaN%' is not an increase" },
        { ["check", "r.json", "--baseline", "b.json", "--max-increase", "lots"], "--max-increase 'lots' is not an increase" },
        { ["check", "r.json", "--baseline", "b.json", "--format", "csv"], "check writes table, markdown or json, not csv" },
        { ["attach", "1", "--bogus"], "--bogus" },
        { ["demo-workload", "--seconds", "NaN"], "--seconds 'NaN' must be a number of seconds" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task Command_ExitsUsageErrorWithOneLine_WhenAnOptionValueIsBad(string[] args, string expected) =>
        await FaultAssert.FailsAsync(ExitCodes.UsageError, expected, args);

    [Theory]
    [InlineData("--duration", "5s")]
    [InlineData("--bogus")]
    public async Task Run_TreatsAWordBeforeTheDoubleDashAsAnOption_NotAsTheCommand(params string[] before)
    {
        string marker = Path.Combine(Directory.CreateTempSubdirectory("alloctrack-run-args").FullName, "ran");
        await FaultAssert.FailsAsync(ExitCodes.UsageError, $"run has no option '{before[0]}'", ["run", .. before, "--", "/bin/sh", "-c", $"touch {marker}"]);
        Assert.False(File.Exists(marker), "the command ran although the command line was refused");
    }

    [Fact]
    public async Task Run_AsksForTheDoubleDash_WhenTheCommandIsGivenWithoutIt() =>
        await FaultAssert.FailsAsync(ExitCodes.UsageError, "the command to run goes after --", "run", "/bin/true");
}
