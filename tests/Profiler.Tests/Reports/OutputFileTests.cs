using System.Diagnostics;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Profiler.Tests.Reports;

public class OutputFileTests
{
    private readonly string _dir = Directory.CreateTempSubdirectory("alloctrack-outputfile").FullName;

    [Fact]
    public void AtomicFile_RemovesItsTempFile_WhenTheRenameFails()
    {
        // A non-empty directory cannot be replaced by a file: the rename fails after the temp file was written.
        string destination = Directory.CreateDirectory(Path.Combine(_dir, "taken")).FullName;
        File.WriteAllText(Path.Combine(destination, "keep"), "x");

        Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllText(destination, "report"));

        Assert.Equal(["taken"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName));
        Assert.Equal("x", File.ReadAllText(Path.Combine(destination, "keep")));
    }

    [Fact]
    public void FileKinds_TellsDevicesPipesAndFilesApart()
    {
        string fifo = Path.Combine(_dir, "fifo");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
        }

        string file = Path.Combine(_dir, "file");
        File.WriteAllText(file, "x");
        string link = Path.Combine(_dir, "link");
        File.CreateSymbolicLink(link, "/dev/null");

        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of("/dev/null"));
        Assert.Equal(FileKind.Fifo, FileKinds.Of(fifo));
        Assert.Equal(FileKind.RegularFile, FileKinds.Of(file));
        Assert.Equal(FileKind.Directory, FileKinds.Of(_dir));
        Assert.Equal(FileKind.Missing, FileKinds.Of(Path.Combine(_dir, "none")));
        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of(link));
        Assert.True(FileKinds.IsSymbolicLink(link));
        Assert.False(FileKinds.IsSymbolicLink(file));
    }

    [Theory]
    [InlineData("/dev/stdout", StandardStream.Output)]
    [InlineData("/dev/fd/1", StandardStream.Output)]
    [InlineData("/proc/self/fd/2", StandardStream.Error)]
    [InlineData("/dev/stderr", StandardStream.Error)]
    [InlineData("/dev/null", StandardStream.None)]
    [InlineData("/dev/fd/3", StandardStream.None)]
    public void StandardStreamOf_RecognisesTheToolsOwnStreams(string path, StandardStream expected) =>
        Assert.Equal(expected, OutputFile.StandardStreamOf(path));

    [Fact]
    public void Check_FailsWithOutputFailed_WhenTheDirectoryIsMissing_AndCreatesNothing()
    {
        var e = Assert.Throws<ProfilerException>(() => OutputFile.Check(Path.Combine(_dir, "typo", "r.json")));
        Assert.Equal(ProfilerErrorKind.OutputFailed, e.Kind);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void Check_LeavesNothingBehind_WhenTheDestinationIsWritable()
    {
        OutputFile.Check(Path.Combine(_dir, "r.json"));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void InputFile_RefusesAFileOverTheLimit_WithOneLine()
    {
        string path = Path.Combine(_dir, "big.json");
        File.WriteAllText(path, new string(' ', 2048));
        var e = Assert.Throws<ProfilerException>(() => InputFile.ReadAllText(path, maxBytes: 1024));
        Assert.Equal(ProfilerErrorKind.Usage, e.Kind);
        Assert.Contains("larger than the 1.0 KB this tool reads as an input (it is 2.0 KB)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InputFile_RefusesAPipeThatSendsTooMuch_WithoutKnowingItsLength()
    {
        string fifo = Path.Combine(_dir, "fifo");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
        }

        var writer = Task.Run(() =>
        {
            try
            {
                using var stream = new FileStream(fifo, FileMode.Open, FileAccess.Write);
                stream.Write(new byte[4096]);
            }
            catch (IOException)
            {
                // The reader stopped early: a broken pipe is the expected end.
            }
        });
        var e = Assert.Throws<ProfilerException>(() => InputFile.ReadAllText(fifo, maxBytes: 1024));
        Assert.Contains("larger than the 1.0 KB", e.Message, StringComparison.Ordinal);
        writer.Wait(TimeSpan.FromSeconds(30));
    }
}
