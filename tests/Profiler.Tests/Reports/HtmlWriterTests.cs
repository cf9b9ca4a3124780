using System.Diagnostics;
using System.Text.RegularExpressions;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Reports.Writers;
using Xunit.Abstractions;

namespace TrackingProfiler.Profiler.Tests.Reports;

/// <summary>
/// The HTML page, statically (self-contained, names inert) and in a real headless Chromium: the page is loaded from
/// disk, its script must draw the flame graphs and highlight a search, and a screenshot is kept in the test output
/// (<c>browser-output/</c> beside the test assembly). Without a browser the browser tests fail, naming the package
/// to install, unless <c>ALLOCTRACK_NO_BROWSER</c> gives the reason none can be installed (then they are skipped).
/// </summary>
public partial class HtmlWriterTests(ITestOutputHelper output)
{
    private static readonly string s_outputDirectory = Path.Combine(AppContext.BaseDirectory, "browser-output");

    [GeneratedRegex(@"(?:src|href|action|formaction|poster|data)\s*=\s*[""']?\s*(?:[a-z][a-z0-9+.-]*:|//)", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    [Fact]
    public void Page_IsSelfContained_WithNoExternalReference()
    {
        foreach (var report in new[] { ReportSamples.WithCallPaths(), ReportSamples.Plain(), ReportSamples.Hostile() })
        {
            string html = ReportWriters.Render(report, ReportFormat.Html);
            Assert.DoesNotMatch(ExternalReference(), html);
            Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("default-src 'none'", html, StringComparison.Ordinal); // and the browser forbids any fetch
        }

        Assert.DoesNotMatch("(?i)https?:", ReportWriters.Render(ReportSamples.WithCallPaths(), ReportFormat.Html));
    }

    [Fact]
    public void Page_ShowsHostileNamesAsText_NeverAsMarkup()
    {
        string html = ReportWriters.Render(ReportSamples.Hostile(), ReportFormat.Html);
        Assert.Equal(2, Regex.Count(html, "<script")); // the data block and the page's script, nothing injected
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("\\u003Cscript\\u003E", html, StringComparison.Ordinal); // inside the JSON data
        Assert.DoesNotContain('\u001b', html);
        Assert.DoesNotContain('\u202E', html);
    }

    [Fact]
    public void Page_SaysToUseStacks_WhenTheReportHasNone()
    {
        string html = ReportWriters.Render(ReportSamples.Plain(), ReportFormat.Html);
        Assert.Contains("--stacks", html, StringComparison.Ordinal);
        Assert.Contains("allocated types instead", html, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void FlameGraphs_RenderInAHeadlessBrowser_AndSearchHighlightsFrames()
    {
        string browser = Browser();
        string page = WritePage(ReportSamples.WithCallPaths(), "flamegraph.html");
        string dom = Run(browser, "--dump-dom", new Uri(page).AbsoluteUri + "?search=parser");

        // The script ran: one flame graph per group with samples, one box per node of each call tree.
        Assert.Equal(2, Regex.Count(dom, "class=\"flamegraph\""));
        Assert.DoesNotContain("The flame graphs need JavaScript", dom, StringComparison.Ordinal);
        var frames = Regex.Matches(dom, "<div class=\"frame[^\"]*\"[^>]*>([^<]*)</div>").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("orders/parse", frames);
        Assert.Contains("Shop.Orders.Parser.Parse", frames);
        Assert.Contains("Shop.Images.Thumbnail.Render", frames);
        Assert.Contains("(other call paths)", frames);
        Assert.Equal(6 + 6, frames.Count); // orders/parse: root, Main, Handle, Parse, GetBytes, (other call paths); images/thumbnail: root, Main, Render, Handle, Parse, GetBytes

        // The search (?search=parser) highlighted exactly the Parse frames, one in each group.
        var matches = Regex.Matches(dom, "<div class=\"frame match\"[^>]*>([^<]*)</div>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["Shop.Orders.Parser.Parse", "Shop.Orders.Parser.Parse"], matches);
        Assert.Matches("id=\"search-result\">2 matching frame\\(s\\)", dom);

        string screenshot = Path.Combine(s_outputDirectory, "flamegraph.png");
        File.Delete(screenshot);
        Run(browser, "--screenshot=" + screenshot, "--window-size=1280,860", new Uri(page).AbsoluteUri + "?search=parse");
        byte[] png = File.ReadAllBytes(screenshot);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        output.WriteLine($"screenshot: {screenshot}");
    }

    [SkippableFact]
    public void TypeBoxes_RenderInAHeadlessBrowser_WhenTheReportHasNoStacks()
    {
        string browser = Browser();
        string dom = Run(browser, "--dump-dom", new Uri(WritePage(ReportSamples.Plain(), "types.html")).AbsoluteUri);
        var frames = Regex.Matches(dom, "<div class=\"frame[^\"]*\"[^>]*>([^<]*)</div>").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("System.Collections.Generic.List`1[System.String]", frames);
        Assert.Contains("(other types)", frames);
    }

    [SkippableFact]
    public void Showcase_RendersEveryFrame_ForTheReadmePicture()
    {
        // docs/images/flamegraph-synthetic.png is this screenshot (copied by hand when the page changes).
        string browser = Browser();
        var report = ReportSamples.Showcase();
        string page = WritePage(report, "showcase.html");
        string url = new Uri(page).AbsoluteUri + "?search=parse";
        string dom = Run(browser, "--dump-dom", url);
        var frames = Regex.Matches(dom, "<div class=\"frame[^\"]*\"[^>]*>([^<]*)</div>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(3, Regex.Count(dom, "class=\"flamegraph\""));
        Assert.Contains("Shop.Images.PngDecoder.Decode", frames);
        Assert.Contains("Shop.Orders.OrderParser.Parse", Regex.Matches(dom, "<div class=\"frame match\"[^>]*>([^<]*)</div>").Select(m => m.Groups[1].Value));

        string screenshot = Path.Combine(s_outputDirectory, "showcase.png");
        File.Delete(screenshot);
        Run(browser, "--screenshot=" + screenshot, "--window-size=1280,1000", new Uri(page).AbsoluteUri);
        Assert.True(new FileInfo(screenshot).Length > 10_000);
        output.WriteLine($"screenshot: {screenshot}");
    }

    private static string WritePage(AllocationReport report, string name)
    {
        Directory.CreateDirectory(s_outputDirectory);
        string path = Path.Combine(s_outputDirectory, name);
        File.WriteAllText(path, ReportWriters.Render(report, ReportFormat.Html));
        return path;
    }

    /// <summary>Chromium from the distribution (Debian: <c>apt-get install -y chromium</c>).</summary>
    private static string Browser()
    {
        foreach (string name in new[] { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" })
        {
            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                string candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        string? reason = Environment.GetEnvironmentVariable("ALLOCTRACK_NO_BROWSER");
        Skip.If(!string.IsNullOrWhiteSpace(reason), $"no browser: {reason}");
        Assert.Fail("No Chromium on PATH: install it (Debian: apt-get install -y chromium), or set ALLOCTRACK_NO_BROWSER=<why none can be installed> to skip the browser tests.");
        return string.Empty;
    }

    private static string Run(string browser, params string[] arguments)
    {
        string profile = Directory.CreateTempSubdirectory("alloctrack-chromium").FullName;
        var info = new ProcessStartInfo(browser)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-extensions", $"--user-data-dir={profile}" }.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("Chromium did not finish within 2 minutes.");
            }

            Assert.True(process.ExitCode == 0, $"Chromium exited with {process.ExitCode}: {stderr.Result}");
            return stdout;
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
