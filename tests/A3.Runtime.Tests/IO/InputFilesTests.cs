using System.Diagnostics;
using A3.IO;
using A3.Runtime.IO;
using A3.Runtime.Model;
using A3.Tests;

namespace A3.Runtime.Tests.IO;

/// <summary>
/// A model folder whose files are a device, a pipe or a link that leads nowhere fails with A3002 naming the file,
/// before any reader opens it: reading <c>/dev/zero</c> ran out of memory after 4 GB, and opening a pipe blocked forever.
/// </summary>
public sealed class InputFilesTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => Directory.Delete(temp.Path, recursive: true);

    [SkippableTheory]
    [InlineData("config.json", "device", "config.json is empty or not a regular file (a device, a pipe or a socket)")]
    [InlineData("model.safetensors", "pipe", "model.safetensors is empty or not a regular file (a device, a pipe or a socket)")]
    [InlineData("model.safetensors", "dangling", "model.safetensors is a symbolic link that leads nowhere (its target is missing, or the links form a loop)")]
    [InlineData("config.json", "loop", "config.json is a symbolic link that leads nowhere (its target is missing, or the links form a loop)")]
    [InlineData("tokenizer.model", "pipe", "tokenizer.model is empty or not a regular file (a device, a pipe or a socket)")]
    [InlineData("tokenizer.model", "device", "tokenizer.model is empty or not a regular file (a device, a pipe or a socket)")]
    [InlineData("tokenizer.json", "pipe", "tokenizer.json is empty or not a regular file (a device, a pipe or a socket)")]
    [InlineData("tokenizer_config.json", "pipe", "tokenizer_config.json is empty or not a regular file (a device, a pipe or a socket)")]
    public void A_model_file_that_is_no_regular_file_is_refused_naming_it(string name, string kind, string message)
    {
        var model = LinkedFixture();
        var path = Path.Combine(model, name);
        File.Delete(path);
        switch (kind)
        {
            case "device":
                File.CreateSymbolicLink(path, "/dev/zero");
                break;
            case "pipe":
                using (var mkfifo = Process.Start("mkfifo", [path]))
                {
                    mkfifo.WaitForExit();
                }

                break;
            case "dangling":
                File.CreateSymbolicLink(path, Path.Combine(temp.Path, "gone"));
                break;
            default:
                File.CreateSymbolicLink(path, path + ".other");
                File.CreateSymbolicLink(path + ".other", path);
                break;
        }

        var error = Assert.Throws<A3InputException>(() => ModelCheckpoint.Open(model).Dispose());

        Assert.Equal((A3ErrorCodes.FileNotFound, message, path), (error.Code, error.Message, error.FilePath));
    }

    [Theory]
    [InlineData("/dev/zero", "the model is empty or not a regular file (a device, a pipe or a socket)")]
    [InlineData("dangling", "the model is a symbolic link that leads nowhere (its target is missing, or the links form a loop)")]
    public void A_model_path_that_is_no_regular_file_is_blamed_not_its_missing_tokenizer(string kind, string message)
    {
        var path = kind == "dangling" ? File.CreateSymbolicLink(temp.File("model.bin"), temp.File("gone.bin")).FullName : kind;

        var error = Assert.Throws<A3InputException>(() => ModelCheckpoint.Open(path).Dispose());

        Assert.Equal((A3ErrorCodes.FileNotFound, message), (error.Code, error.Message));
    }

    [Fact]
    public void An_empty_file_is_refused_like_a_device_and_a_missing_one_reads_as_the_caller_says()
    {
        var empty = temp.File("empty.txt");
        File.WriteAllText(empty, string.Empty);

        Assert.Equal("empty.txt is empty or not a regular file (a device, a pipe or a socket)", Assert.Throws<A3InputException>(() => InputFiles.Require(empty, "no such data file")).Message);
        Assert.Equal("no such data file", Assert.Throws<A3InputException>(() => InputFiles.Require(temp.File("absent.txt"), "no such data file")).Message);
    }

    /// <summary>A folder of links to the stories260K fixture's files, so one of them can be replaced.</summary>
    private string LinkedFixture()
    {
        var source = Fixtures.Require(Stories260KVariants.HfFixture);
        var model = temp.File("model");
        Directory.CreateDirectory(model);
        foreach (var file in Directory.GetFiles(source))
        {
            File.CreateSymbolicLink(Path.Combine(model, Path.GetFileName(file)), file);
        }

        return model;
    }
}
