using A3.Runtime.IO;

namespace A3.Runtime.Tests.IO;

/// <summary>How a folder is put into place, and what the next run does with the leftovers of a killed one.</summary>
public sealed class FolderReplacementTests : IDisposable
{
    /// <summary>A process id above Linux's and Windows' limits, so no process runs under it: the owner of a killed run's folders.</summary>
    private const int GoneProcess = int.MaxValue;

    private readonly TempFolder temp = new();

    private string Target => temp.File("out");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void When_the_new_folder_cannot_be_renamed_in_the_old_one_is_put_back()
    {
        WriteFolder(Target, "old");
        var missing = FolderReplacement.TemporarySibling(Target);

        Assert.ThrowsAny<IOException>(() => FolderReplacement.Commit(missing, Target));

        Assert.Equal("old", File.ReadAllText(Path.Combine(Target, "marker")));
        Assert.Equal(["out"], Entries());
    }

    [Fact]
    public void A_commit_replaces_the_old_folder_and_leaves_nothing_beside_it()
    {
        WriteFolder(Target, "old");
        var temporary = FolderReplacement.TemporarySibling(Target);
        WriteFolder(temporary, "new");

        FolderReplacement.Commit(temporary, Target);

        Assert.Equal("new", File.ReadAllText(Path.Combine(Target, "marker")));
        Assert.Equal(["out"], Entries());
    }

    [Fact]
    public void Siblings_are_hidden_and_name_this_process()
    {
        var name = Path.GetFileName(FolderReplacement.TemporarySibling(Target));

        Assert.StartsWith($".out.tmp-{Environment.ProcessId}-", name, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_killed_between_the_renames_gets_its_old_folder_back_and_its_new_one_deleted()
    {
        WriteFolder(Sibling("old", GoneProcess), "old");
        WriteFolder(Sibling("tmp", GoneProcess), "new");

        FolderReplacement.RecoverLeftovers(Target);

        Assert.Equal("old", File.ReadAllText(Path.Combine(Target, "marker")));
        Assert.Equal(["out"], Entries());
    }

    [Fact]
    public void Leftovers_beside_an_existing_folder_are_deleted_and_the_folder_kept()
    {
        WriteFolder(Target, "current");
        WriteFolder(Sibling("old", GoneProcess), "old");
        WriteFolder(Sibling("tmp", GoneProcess), "new");

        // A name without a process id was written before ids were added; no run can still own it.
        WriteFolder(temp.File($".out.tmp-{Guid.NewGuid():N}"), "legacy");

        FolderReplacement.RecoverLeftovers(Target);

        Assert.Equal("current", File.ReadAllText(Path.Combine(Target, "marker")));
        Assert.Equal(["out"], Entries());
    }

    [Fact]
    public void Folders_of_a_run_still_going_and_of_other_outputs_are_left_alone()
    {
        var live = Sibling("tmp", Environment.ProcessId);
        var other = temp.File($".output.tmp-{GoneProcess}-{Guid.NewGuid():N}");
        WriteFolder(live, "building");
        WriteFolder(other, "another output's");

        FolderReplacement.RecoverLeftovers(Target);

        Assert.True(Directory.Exists(live));
        Assert.True(Directory.Exists(other));
        Assert.False(Directory.Exists(Target));
    }

    private static void WriteFolder(string folder, string marker)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "marker"), marker);
    }

    private string Sibling(string kind, int process) => temp.File($".out.{kind}-{process}-{Guid.NewGuid():N}");

    private string[] Entries() => Directory.GetFileSystemEntries(temp.Path).Select(entry => Path.GetFileName(entry)!).Order(StringComparer.Ordinal).ToArray();
}
