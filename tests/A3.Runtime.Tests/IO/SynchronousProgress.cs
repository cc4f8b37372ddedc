namespace A3.Runtime.Tests.IO;

/// <summary>An <see cref="IProgress{T}"/> that calls back on the reporting thread, unlike <see cref="Progress{T}"/>, so a test can act mid-write.</summary>
internal sealed class SynchronousProgress(Action<string> report) : IProgress<string>
{
    public void Report(string value) => report(value);
}
