namespace A3.Sdk.Tests.Infrastructure;

/// <summary>The fake compressor (<c>FakeCompressor/fake-a3.sh</c>) and the switches its environment variables set.</summary>
internal static class FakeCompressor
{
    /// <summary>Gets the script, made executable (a copy into bin may lose the mode bits).</summary>
    public static string Path { get; } = MakeExecutable(System.IO.Path.Combine(AppContext.BaseDirectory, "FakeCompressor", "fake-a3.sh"));

    /// <summary>The variable naming the invocation log.</summary>
    public const string LogVariable = "A3_FAKE_LOG";

    /// <summary>The variable choosing the behaviour: ok, fail, sleep or stubborn.</summary>
    public const string ModeVariable = "A3_FAKE_MODE";

    /// <summary>The variable naming the file the sleeping modes write their pids to.</summary>
    public const string PidFileVariable = "A3_FAKE_PIDFILE";

    /// <summary>Returns the invocations logged in <paramref name="log"/> (one line each).</summary>
    public static IReadOnlyList<string> Invocations(string log) => File.Exists(log) ? File.ReadAllLines(log) : [];

    private static string MakeExecutable(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return path;
    }
}
