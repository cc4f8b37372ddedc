using A3.Generators.Emit;
using A3.Tests;

namespace A3.Generators.Tests.Infrastructure;

/// <summary>
/// Compares generated source with a checked-in snapshot under <c>tests/A3.Generators.Tests/Snapshots</c>.
/// Set <c>A3_UPDATE_SNAPSHOTS=1</c> to write the actual output instead, then review the diff in git.
/// </summary>
internal static class Snapshot
{
    private const string UpdateVariable = "A3_UPDATE_SNAPSHOTS";

    /// <summary>Asserts that <paramref name="actual"/> equals the snapshot <paramref name="name"/>.</summary>
    public static void Match(string name, string actual)
    {
        var path = Path.Combine(Fixtures.RepositoryRoot, "tests", "A3.Generators.Tests", "Snapshots", name + ".verified.cs");

        // The version changes with every release and says nothing about the shape of the output.
        actual = actual.Replace($"\"A3.Generators\", \"{GeneratedFile.Version}\"", "\"A3.Generators\", \"{version}\"", StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        if (!File.Exists(path))
        {
            Assert.Fail($"no snapshot {path}; run the tests with {UpdateVariable}=1 to create it, then review and commit it");
        }

        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected == actual)
        {
            return;
        }

        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        int line = 0;
        while (line < expectedLines.Length && line < actualLines.Length && expectedLines[line] == actualLines[line])
        {
            line++;
        }

        Assert.Fail(
            $"the generated source differs from {path} at line {line + 1}:\n" +
            $"  expected: {(line < expectedLines.Length ? expectedLines[line] : "<end of file>")}\n" +
            $"  actual:   {(line < actualLines.Length ? actualLines[line] : "<end of file>")}\n" +
            $"If the change is intended, run the tests with {UpdateVariable}=1 and commit the updated snapshot.");
    }
}
